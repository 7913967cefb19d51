"""Factories, one module per app: `from tests.factories.regions import RegionFactory`."""
