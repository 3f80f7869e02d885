"""elearn demo: seed the demo organisation."""

from __future__ import annotations

import click

from ..services.demo import DEMO_PASSWORD, demo_people_present, is_empty, seed_demo


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Only seed when the database has no employees.")
def demo(if_empty: bool) -> None:
    """Seed the demo organisation and print its logins."""
    if if_empty and not is_empty():
        click.echo("The database already has employees; the demo organisation was not seeded.")
    else:
        seed_demo()
    people = demo_people_present()
    if people:
        click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for person in people:
            click.echo(f"  {person.employee_no}  {person.name}  {person.department}  {person.role.japanese}")
