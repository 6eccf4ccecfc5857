"""Elastic Beanstalk's WSGI entry point (application:application); the factory is collector.create_app."""
from collector import create_app

application = create_app()
