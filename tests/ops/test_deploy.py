"""Elastic Beanstalk files, IAM policies, and the Procfile's gunicorn really serving and draining."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from collector.meaning import embedder

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
    "aws:elasticbeanstalk:customoption": None,  # the operator's own values, read with Fn::GetOptionSetting
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
    # the fleet shares all
    assert seen["aws:elasticbeanstalk:environment:process:default/StickinessEnabled"] == "false"
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


def test_the_optional_sign_in_rule_authenticates_every_analyst_path_then_forwards_and_holds_no_secret():
    """Issue 43 #3: the ALB's authenticate-oidc action in front of /analyst, on the HTTPS listener."""
    path = ROOT / ".ebextensions" / "05-sign-in.config.optional"
    config = yaml.safe_load(path.read_text())
    for namespace, options in config["option_settings"].items():
        assert namespace in EB_OPTIONS and (EB_OPTIONS[namespace] is None or set(options) <= EB_OPTIONS[namespace])
    assert config["option_settings"]["aws:elasticbeanstalk:application:environment"]["AUTH"] == "alb-oidc"
    assert config["option_settings"]["aws:elasticbeanstalk:customoption"]["OidcClientSecret"].startswith(
        "{{resolve:secretsmanager:")
    rule = config["Resources"]["AnalystSignIn"]
    assert rule["Type"] == "AWS::ElasticLoadBalancingV2::ListenerRule"
    properties = rule["Properties"]
    assert properties["ListenerArn"] == {"Ref": "AWSEBV2LoadBalancerListener443"}
    assert properties["Conditions"][0]["PathPatternConfig"]["Values"] == ["/analyst", "/analyst/*"]
    actions = sorted(properties["Actions"], key=lambda action: action["Order"])
    assert [action["Type"] for action in actions] == ["authenticate-oidc", "forward"]
    assert actions[0]["AuthenticateOidcConfig"]["OnUnauthenticatedRequest"] == "authenticate"


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


HOOK = ROOT / ".platform" / "hooks" / "prebuild" / "02_embedding_model.sh"


def test_the_deploy_hook_checks_the_model_against_the_same_digests_as_the_app():
    """Issue 42 #1: the bundle's model is the file this release expects, by SHA-256, and the same artifact."""
    text = HOOK.read_text()
    assert all(digest in text for digest in embedder.FILES.values())
    group, artifact, version = embedder.ARTIFACT.split(":")
    assert f"{group.replace('.', '/')}/{artifact}/{version}/{artifact}-{version}.jar" in text


def run_hook(folder, path=None):
    """Run the prebuild hook in folder (the bundle), with PATH as given; the finished process."""
    env = {"PATH": path or os.environ["PATH"]}
    return subprocess.run(["bash", str(HOOK)], cwd=folder, env=env, capture_output=True, text=True, timeout=60)


def test_the_deploy_hook_keeps_a_model_the_bundle_carries(tmp_path, model_dir):
    (tmp_path / "embedding-model").mkdir()
    for name in embedder.FILES:
        shutil.copy(model_dir / name, tmp_path / "embedding-model" / name)
    done = run_hook(tmp_path)
    assert done.returncode == 0 and "carried by the bundle" in done.stdout


def test_a_deploy_without_the_model_and_no_download_goes_on_without_meaning(tmp_path):
    (tmp_path / "embedding-model").mkdir()
    (tmp_path / "embedding-model" / "all-minilm-l6-v2-q.onnx").write_bytes(b"not the model")
    stubs = tmp_path / "bin"
    stubs.mkdir()
    (stubs / "curl").write_text("#!/bin/sh\nexit 7\n")  # the download fails, as without a network
    (stubs / "curl").chmod(0o755)
    done = run_hook(tmp_path, f"{stubs}:{os.environ['PATH']}")
    assert done.returncode == 0 and "meaning stays off" in done.stderr
    assert not (tmp_path / "embedding-model").exists()
