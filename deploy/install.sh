#!/bin/sh
# Install or upgrade elearn from this offline bundle, without any network: ./install.sh [TARGET]
# TARGET (default /opt/elearn) gets venv/ (the app and gunicorn), content/ (policy, courses, quizzes),
# migrations/, and, on a first install only, elearn.env and instance/. An upgrade replaces the venv,
# the content and the migrations and keeps elearn.env, instance/ and the database: run
# `elearn db upgrade` afterwards (INSTALL.ja.md).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
target=${1:-/opt/elearn}
python=${PYTHON:-python3}

echo "== checking the bundle's files (SHA256SUMS)"
(cd "$here" && sha256sum --quiet -c SHA256SUMS)

version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
case "$version" in
  3.11|3.12) ;;
  *) echo "Python 3.11 or 3.12 is needed (found $version): set PYTHON=/path/to/python3.11" >&2; exit 1 ;;
esac

mkdir -p "$target"
target=$(cd "$target" && pwd)
echo "== installing elearn $(cat "$here/VERSION") into $target (Python $version)"
# The old venv is set aside and comes back if the install fails, so a failed upgrade leaves the old
# version in place (a venv records its own path, so the new one is built under its final name).
rm -rf "$target/venv.old"
[ -d "$target/venv" ] && mv "$target/venv" "$target/venv.old"
restore() {
  echo "!! the install failed: the previous version is left in place" >&2
  rm -rf "$target/venv"
  [ -d "$target/venv.old" ] && mv "$target/venv.old" "$target/venv"
  exit 1
}
{
  "$python" -m venv "$target/venv" &&
  "$target/venv/bin/python" -m pip install --quiet --no-index --find-links "$here/wheels" --upgrade pip &&
  "$target/venv/bin/python" -m pip install --quiet --no-index --find-links "$here/wheels" \
    "elearn[server,postgres]"
} || restore
rm -rf "$target/venv.old"

for folder in policy courses quizzes; do
  rm -rf "$target/content/$folder"
  mkdir -p "$target/content"
  cp -R "$here/$folder" "$target/content/$folder"
done
rm -rf "$target/migrations"
cp -R "$here/migrations" "$target/migrations"
mkdir -p "$target/instance" "$target/systemd" "$target/nginx"
cp "$here"/systemd/* "$target/systemd/"
cp "$here"/nginx/* "$target/nginx/"
sed -i "s#@TARGET@#$target#g" "$target"/systemd/*

if [ ! -f "$target/elearn.env" ]; then
  secret=$("$target/venv/bin/python" -c 'import secrets; print(secrets.token_hex(32))')
  sed -e "s#@TARGET@#$target#g" -e "s#@SECRET_KEY@#$secret#" "$here/elearn.env.template" > "$target/elearn.env"
  chmod 600 "$target/elearn.env"
  echo "== wrote $target/elearn.env: set DATABASE_URL and the organisation's settings there"
else
  echo "== kept $target/elearn.env and $target/instance"
fi

echo "== done. Next (INSTALL.ja.md): review elearn.env, then"
echo "   set -a; . $target/elearn.env; set +a; $target/venv/bin/elearn db upgrade && $target/venv/bin/elearn content sync"
echo "   cp $target/systemd/elearn*.service $target/systemd/elearn*.timer /etc/systemd/system/ && systemctl daemon-reload"
