#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # manage.py is the developer's entry point: debug unless told otherwise. The web server (wsgi)
    # and the Celery worker have no such default, so production still refuses to start without
    # DJANGO_DEBUG=0 and a real DJANGO_SECRET_KEY; deployments set DJANGO_DEBUG=0 for manage.py too.
    os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
