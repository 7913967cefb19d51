"""An S3-compatible object store on loopback for the tests of stored files: moto's standalone server
(a real HTTP server speaking the S3 protocol, pure Python), one private bucket per test.

The web side (this process) and any worker process are configured by the same environment
variables, through the portal's own settings module, so a test exercises the configuration an
operator writes, not a copy of it.
"""

import runpy
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parent.parent
REGION = "eu-north-1"
ACCESS_KEY, SECRET_KEY = "tests-access-key", "tests-secret-key"


def storage_setting(environment: dict[str, str], monkeypatch) -> dict:
    """STORAGES["default"] as config/settings.py makes it from `environment` (and DJANGO_DEBUG=1)."""
    with monkeypatch.context() as patched:
        for name, value in {**environment, "DJANGO_DEBUG": "1"}.items():
            patched.setenv(name, value)
        return runpy.run_path(str(ROOT / "config" / "settings.py"))["STORAGES"]["default"]


@dataclass
class S3Bucket:
    endpoint: str
    name: str

    @property
    def environment(self) -> dict[str, str]:
        """What an operator sets for the portal (web and workers) to store its files in this bucket."""
        return {
            "S3_BUCKET": self.name,
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_REGION": REGION,
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "S3_ADDRESSING_STYLE": "path",
        }

    @property
    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def create(self) -> "S3Bucket":
        self.client.create_bucket(Bucket=self.name, CreateBucketConfiguration={"LocationConstraint": REGION})
        return self

    def keys(self) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return sorted(entry["Key"] for page in pages for entry in page.get("Contents", ()))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def empty(self) -> None:
        for key in self.keys():
            self.client.delete_object(Bucket=self.name, Key=key)


def new_bucket(endpoint: str) -> S3Bucket:
    return S3Bucket(endpoint=endpoint, name=f"dialoger-tests-{uuid.uuid4().hex[:12]}").create()
