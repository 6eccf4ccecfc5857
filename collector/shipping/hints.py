"""What to tell an operator when the domain refuses the instance role: the grant it lacks."""


def forbidden_hint(config):
    """What to grant when the domain answers 403, for this endpoint's kind (managed domain or Serverless)."""
    alias = config["SEARCH_INDEX"]
    if config.get("SEARCH_SERVICE") == "aoss":
        return (f"403 from the collection: its data access policy must give the instance role aoss:ReadDocument, "
                f"aoss:WriteDocument and aoss:*Index on index/<collection>/{alias}*, and aoss:DescribeCollectionItems "
                f"and aoss:UpdateCollectionItems on collection/<collection> (aliases), and the role aoss:APIAccessAll "
                f"(deploy/serverless-data-access-policy.json).")
    return (f"403 from the search domain: the instance role probably lacks es:ESHttpPost (and es:ESHttpPut/Get/Head) "
            f"on arn:aws:es:<region>:<account>:domain/<domain>/{alias}*, or the domain access policy does not name "
            f"the role (deploy/instance-role-policy.json).")
