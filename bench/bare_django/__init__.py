"""A bare Django project: the baseline page that Cadenza's pages are compared against.

It is what ``django-admin startproject`` gives (its middleware, sessions, auth), one model with
a small table and one view doing three simple queries and rendering a small template. It runs
on the same database engine, behind the same ASGI server, as the Cadenza server it is compared
with (see ``bench/pages.py``).
"""
