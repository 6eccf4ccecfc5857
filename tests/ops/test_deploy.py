"""Elastic Beanstalk files, IAM policies, and the Procfile's gunicorn really serving and draining."""
import json
import logging
import os
import shlex
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from collector import create_app
from tests.helpers import PASSWORD, free_port, search_env, store, wait_for

ROOT = Path(__file__).resolve().parents[2]
# Option names per namespace, from the Elastic Beanstalk "General options for all environments".
EB_OPTIONS = {
    "aws:elasticbeanstalk:application:environment": None,  # any environment variable name
    "aws:elasticbeanstalk:environment": {"EnvironmentType", "LoadBalancerType", "ServiceRole"},
    "aws:elasticbeanstalk:environment:proxy": {"ProxyServer"},
    "aws:elasticbeanstalk:environment:process:default": {
        "HealthCheckPath", "MatcherHTTPCode", "DeregistrationDelay", "HealthCheckInterval",
        "HealthCheckTimeout", "HealthyThresholdCount", "UnhealthyThresholdCount", "Port", "Protocol",
        "StickinessEnabled", "StickinessType", "StickinessLBCookieDuration"},
    "aws:elasticbeanstalk:healthreporting:system": {"SystemType"},
    "aws:elasticbeanstalk:command": {"DeploymentPolicy", "BatchSizeType", "BatchSize", "Timeout"},
    "aws:autoscaling:launchconfiguration": {
        "IamInstanceProfile", "DisableIMDSv1", "InstanceType", "SecurityGroups", "RootVolumeSize"},
    "aws:elasticbeanstalk:cloudwatch:logs": {"StreamLogs", "DeleteOnTerminate", "RetentionInDays"},
}


def eb_settings():
    for path in sorted((ROOT / ".ebextensions").glob("*.config")):
        for namespace, options in yaml.safe_load(path.read_text())["option_settings"].items():
            yield path.name, namespace, options


def test_ebextensions_use_only_real_namespaces_and_options():
    seen = {}
    for name, namespace, options in eb_settings():
        assert namespace in EB_OPTIONS, f"{name}: unknown namespace {namespace}"
        allowed = EB_OPTIONS[namespace]
        assert allowed is None or set(options) <= allowed, f"{name}: {set(options) - allowed}"
        seen.update({f"{namespace}/{k}": v for k, v in options.items()})
    assert seen["aws:elasticbeanstalk:environment:process:default/HealthCheckPath"] == "/healthz"
    assert seen["aws:autoscaling:launchconfiguration/DisableIMDSv1"] is True
    assert seen["aws:elasticbeanstalk:application:environment/APP_ENV"] == "production"
    assert seen["aws:elasticbeanstalk:application:environment/DATA_DIR"].startswith("/var/app/data")
    assert "SECRET_KEY" not in json.dumps(seen)


@pytest.mark.parametrize("name", ["instance-role-policy.json", "domain-access-policy.json", "spill-store-policy.json"])
def test_iam_policies_are_valid_and_scoped_to_the_index(name):
    policy = json.loads((ROOT / "deploy" / name).read_text())
    assert policy["Version"] == "2012-10-17"
    for statement in policy["Statement"]:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        assert all("*" not in action for action in actions)
        assert statement["Resource"] != "*" and not statement["Resource"].endswith(":*")
        if any(a.startswith("es:") for a in actions):
            assert statement["Resource"].endswith("/survey-responses*")
            assert "es:ESHttpDelete" not in actions
        if any(a.startswith("s3:") for a in actions):
            assert statement["Resource"].startswith("arn:aws:s3:::SPILL_BUCKET")
            assert set(actions) <= {"s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:ListBucket"}


def test_the_serverless_data_access_policy_grants_what_alias_calls_need_and_no_more():
    (policy,) = json.loads((ROOT / "deploy" / "serverless-data-access-policy.json").read_text())
    rules = {rule["ResourceType"]: rule for rule in policy["Rules"]}
    # GET <alias>/_alias and POST /_aliases are collection items, not index operations.
    assert {"aoss:DescribeCollectionItems", "aoss:UpdateCollectionItems"} <= set(rules["collection"]["Permission"])
    assert rules["index"]["Resource"] == ["index/COLLECTION_NAME/survey-responses*"]
    assert {"aoss:ReadDocument", "aoss:WriteDocument", "aoss:DescribeIndex"} <= set(rules["index"]["Permission"])
    assert "aoss:DeleteIndex" not in rules["index"]["Permission"]
    assert all("*" not in permission for rule in policy["Rules"] for permission in rule["Permission"])


def test_the_environment_creates_a_private_encrypted_spill_bucket_only_its_role_may_use():
    spill = yaml.safe_load((ROOT / ".ebextensions" / "04-spill-store.config").read_text())
    bucket = spill["Resources"]["SpillBucket"]
    assert bucket["Type"] == "AWS::S3::Bucket" and bucket["DeletionPolicy"] == "Retain"
    encryption = bucket["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in {"AES256", "aws:kms"}
    assert all(bucket["Properties"]["PublicAccessBlockConfiguration"].values())
    assert "VersioningConfiguration" not in bucket["Properties"]  # erased answers leave no old versions
    assert "ExpirationInDays" not in json.dumps(bucket)  # waiting answers never expire
    grant = spill["Resources"]["SpillAccess"]["Properties"]
    assert grant["Roles"] == ["survey-collector-instance"]
    manual = json.loads((ROOT / "deploy" / "spill-store-policy.json").read_text())
    assert [s["Action"] for s in grant["PolicyDocument"]["Statement"]] == [s["Action"] for s in manual["Statement"]]
    url = spill["option_settings"]["aws:elasticbeanstalk:application:environment"]["SPILL_URL"]
    assert url.startswith("`") and '"Ref": "SpillBucket"' in url and "/spill/" in url


def test_procfile_gunicorn_serves_and_ships_pending_answers_on_sigterm(search_config, domain, tmp_path):
    command = (ROOT / "Procfile").read_text().split(":", 1)[1]
    argv = [sys.executable, "-m"] + shlex.split(command)
    port = free_port()
    env = {**os.environ, "APP_ENV": "production", "SECRET_KEY": "s" * 32, "PORT": str(port),
           "DATA_DIR": search_config["DATA_DIR"], **search_env(search_config), "SHIP_POLL_SECONDS": "3600",
           "GRACEFUL_TIMEOUT": "15",
           # One worker: once /healthz answers, its shipper is idle for an hour, so only the
           # SIGTERM drain can ship the rows stored below.
           "WEB_CONCURRENCY": "1"}
    server = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=open(tmp_path / "out.log", "w"),
                              stderr=subprocess.STDOUT)
    try:
        status, health = wait_for(f"http://127.0.0.1:{port}/healthz")
        assert status == 200 and health["search"] == "ok"
        app = create_app(search_config)
        ids = {store(app, f"pending at shutdown {n}", state="pending") for n in range(50)}
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
    finally:
        server.kill()
    assert set(domain.docs()) == ids
    db = sqlite3.connect(app.config["JOURNAL_PATH"])
    assert db.execute("SELECT count(*) FROM responses WHERE state = 'pending'").fetchone()[0] == 0
    output = (tmp_path / "out.log").read_text()
    drains = [json.loads(line) for line in output.splitlines() if '"shutdown drain"' in line]
    assert sum(d["shipped"] for d in drains) == 50


def test_production_without_secret_key_refuses_to_start_with_a_readable_error(tmp_path):
    env = {**os.environ, "APP_ENV": "production", "DATA_DIR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    result = subprocess.run([sys.executable, "-c", "import application"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize(
    "forwarded, expected",
    [
        ("203.0.113.7, 10.0.0.5", "203.0.113.7"),  # client, ALB
        ("6.6.6.6, 203.0.113.7, 10.0.0.5", "203.0.113.7"),  # a forged first hop is ignored
        ("1.1.1.1, 2.2.2.2, 203.0.113.7, 10.0.0.5", "203.0.113.7"),
    ],
)
def test_client_ip_is_the_address_the_trusted_proxies_saw(app_config, forwarded, expected):
    app = create_app(dict(app_config, PROXY_HOPS=2))
    response = app.test_client().post(
        "/", data={"essay": "behind the ALB", "email": "a@example.org"},
        headers={"X-Forwarded-For": forwarded, "X-Forwarded-Proto": "https"})
    assert response.status_code == 303
    db = sqlite3.connect(app.config["JOURNAL_PATH"])
    assert db.execute("SELECT client_ip FROM responses").fetchone()[0] == expected


def test_without_proxies_forwarded_headers_are_ignored(client, app):
    client.post("/", data={"essay": "direct", "email": "a@example.org"},
                headers={"X-Forwarded-For": "6.6.6.6"})
    db = sqlite3.connect(app.config["JOURNAL_PATH"])
    assert db.execute("SELECT client_ip FROM responses").fetchone()[0] == "127.0.0.1"


def test_production_redirects_to_https_except_the_health_check(app_config):
    app = create_app(dict(app_config, APP_ENV="production", TESTING=False))
    client = app.test_client()
    page = client.get("/")
    assert page.status_code in (301, 302) and page.location.startswith("https://")
    assert client.get("/healthz").status_code == 200
    secure = client.post("/analyst/login", data={"name": "ada", "password": PASSWORD},
                         base_url="https://localhost")
    assert "max-age" in secure.headers["Strict-Transport-Security"]
    cookie = secure.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_every_page_sends_a_csp_without_inline_script(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "<script>" not in response.get_data(as_text=True)


@pytest.fixture
def json_logs(capsys):
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    yield capsys
    root.handlers[:], _ = saved
    root.setLevel(saved[1])


def test_json_logs_one_line_per_request_without_essay_or_email(app_config, json_logs):
    app = create_app(dict(app_config, LOG_FORMAT="json"))
    app.test_client().post("/", data={"essay": "very private words", "email": "secret@example.org"},
                           headers={"X-Request-Id": "abc123"})
    lines = [json.loads(line) for line in json_logs.readouterr().out.splitlines() if line.startswith("{")]
    (request,) = [line for line in lines if line["message"] == "request"]
    assert request["request_id"] == "abc123" and request["route"] == "/" and request["status"] == 303
    assert request["duration_ms"] >= 0
    text = json.dumps(lines)
    assert "very private" not in text and "secret@example.org" not in text
