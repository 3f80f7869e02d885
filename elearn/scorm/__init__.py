"""SCORM 1.2 export: a course version as a content package that any LMS can import.

Flask-free: the service reads the synced course version and the live bank into the plain data of
``course.py``; this package turns them into the files of a small static site (one SCO) and zips them.
"""

from .builder import ScormPackage, build_package, package_files
from .course import PackageChoice, PackageCourse, PackageLesson, PackageScenario
from .plan import draw_plan

__all__ = [
    "PackageChoice",
    "PackageCourse",
    "PackageLesson",
    "PackageScenario",
    "ScormPackage",
    "build_package",
    "draw_plan",
    "package_files",
]
