"""A demo organisation for trying the app: departments, staff in every role, this year's assignments."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from ..fiscal import current_fiscal_year, fiscal_year_bounds
from ..models import Department, Employee, Role
from .accounts import set_password
from .assignments import assign_required_courses

DEMO_PASSWORD = "demo-pass-2026"


@dataclass(frozen=True)
class DemoPerson:
    employee_no: str
    name: str
    name_kana: str
    department: str
    role: Role


DEMO_PEOPLE = (
    DemoPerson("D0001", "青木 花子", "アオキ ハナコ", "市民課", Role.EMPLOYEE),
    DemoPerson("D0002", "石田 健", "イシダ ケン", "市民課", Role.EMPLOYEE),
    DemoPerson("D0003", "上野 真理", "ウエノ マリ", "市民課", Role.MANAGER),
    DemoPerson("D0004", "江口 翔太", "エグチ ショウタ", "課税課", Role.EMPLOYEE),
    DemoPerson("D0005", "大野 美咲", "オオノ ミサキ", "課税課", Role.MANAGER),
    DemoPerson("D0006", "加藤 直樹", "カトウ ナオキ", "福祉総務課", Role.EMPLOYEE),
    DemoPerson("D0007", "木村 優子", "キムラ ユウコ", "福祉総務課", Role.EMPLOYEE),
    DemoPerson("D0008", "工藤 誠", "クドウ マコト", "道路管理課", Role.EMPLOYEE),
    DemoPerson("D0009", "小林 由美", "コバヤシ ユミ", "職員課", Role.TRAINER),
    DemoPerson("D0010", "佐藤 隆", "サトウ タカシ", "職員課", Role.HR),
)


def is_empty() -> bool:
    return not db.session.scalar(select(func.count(Employee.id)))


def demo_people_present() -> list[DemoPerson]:
    """The demo people whose accounts exist, for printing their logins."""
    numbers = [p.employee_no for p in DEMO_PEOPLE]
    present = set(db.session.scalars(select(Employee.employee_no).where(Employee.employee_no.in_(numbers))))
    return [p for p in DEMO_PEOPLE if p.employee_no in present]


def seed_demo() -> None:
    """Create the demo people (skipping any that exist) and assign this year's required courses."""
    departments = {d.name: d for d in db.session.scalars(select(Department))}
    existing = set(db.session.scalars(select(Employee.employee_no)))
    for person in DEMO_PEOPLE:
        if person.employee_no in existing:
            continue
        department = departments.get(person.department)
        if department is None:
            department = departments[person.department] = Department(name=person.department)
        employee = Employee(
            employee_no=person.employee_no,
            name=person.name,
            name_kana=person.name_kana,
            department=department,
            role=person.role.value,
            employment_type="正規職員",
        )
        set_password(employee, DEMO_PASSWORD)
        db.session.add(employee)
    db.session.commit()
    year = current_fiscal_year()
    assign_required_courses(year, due_date=fiscal_year_bounds(year)[1])
