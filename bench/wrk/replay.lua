-- Replays prepared requests, one per line of a file: METHOD <tab> PATH <tab> COOKIE <tab> BODY.
-- Usage: wrk ... -s replay.lua URL -- FILE THREADS once|cycle
-- Each wrk thread takes every THREADS-th line and cycles through its share; with "once", a request
-- sent a second time (a quiz submitted twice) is counted, so that the harness can refuse the run.
-- done() prints the figures as one line of JSON for bench/server_bench.py.

local threads = {}
local count = 0

function setup(thread)
  thread:set("id", count)
  count = count + 1
  table.insert(threads, thread)
end

function init(args)
  local file, nthreads = args[1], tonumber(args[2])
  prepared = {}
  local index = 0
  for line in io.lines(file) do
    if index % nthreads == id then
      local method, path, cookie, body = line:match("^(%u+)\t([^\t]+)\t([^\t]*)\t?(.*)$")
      local headers = { ["Cookie"] = cookie, ["User-Agent"] = "elearn-bench" }
      if method == "POST" then
        headers["Content-Type"] = "application/x-www-form-urlencoded"
      else
        body = nil
      end
      table.insert(prepared, wrk.format(method, path, headers, body))
    end
    index = index + 1
  end
  position = 0
  repeated = 0
end

function request()
  position = position + 1
  if position > #prepared then
    position = 1
    repeated = 1
  end
  return prepared[position]
end

function done(summary, latency, requests)
  local repeats = 0
  for _, thread in ipairs(threads) do
    repeats = repeats + (thread:get("repeated") or 0)
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "status_errors": %d, "timeouts": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "mean_us": %.1f, "threads_repeated": %d}\n',
    summary.requests, summary.duration, summary.bytes, errors.connect, errors.read, errors.write,
    errors.status, errors.timeout, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean, repeats))
end
