"""/healthz checks the bucket when the files are in one: a node that cannot reach it is unhealthy."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.s3]


def test_healthz_reports_the_bucket_when_it_answers(client, settings, s3_storage):
    settings.REDIS_URL = ""
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "storage": "ok"}


def test_healthz_is_503_when_the_bucket_is_missing(client, settings, s3_storage, s3_buckets):
    settings.REDIS_URL = ""
    bucket = default_storage.bucket_name
    s3_buckets.client.delete_bucket(Bucket=bucket)
    s3_buckets.names.remove(bucket)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "storage": "error"}


def test_healthz_is_503_within_seconds_when_the_store_does_not_answer(client, settings):
    from conftest import s3_environment
    from kiemdinh.env import env_storage

    settings.REDIS_URL = ""
    env = {**s3_environment("kiemdinh-nowhere"), "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_S3_CONNECT_TIMEOUT": "1"}
    settings.STORAGES = {**settings.STORAGES, "default": env_storage(env)}
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "error"
    assert response.json()["ms"] < 15000
