//! The provider block's schema: every argument, with the AWS provider's
//! names, descriptions and validators.

use std::time::Duration;

use crate::plugin::schema::Validator;
use crate::plugin::{Attribute, Block, NestedBlock, Schema, validators};

/// Schema of the provider block.
pub fn schema() -> Schema {
    let string_list =
        |name: &str, doc: &str| Attribute::string_list(name).optional().description(doc);
    Schema::new(
        Block::new()
            .description("Manages AWS App Runner. Arguments follow the AWS provider's, so a provider block ports unchanged.")
            .attribute(Attribute::string("region").optional().description(
                "AWS region, e.g. `us-east-1`. Defaults to `AWS_REGION`/`AWS_DEFAULT_REGION` or the profile's region.",
            ))
            .attribute(Attribute::string("profile").optional().description("Named profile of the shared config files (`AWS_PROFILE`)."))
            .attribute(Attribute::string("access_key").optional().sensitive().description("Access key ID (`AWS_ACCESS_KEY_ID`)."))
            .attribute(Attribute::string("secret_key").optional().sensitive().description("Secret access key (`AWS_SECRET_ACCESS_KEY`)."))
            .attribute(Attribute::string("token").optional().sensitive().description("Session token (`AWS_SESSION_TOKEN`)."))
            .attribute(string_list("shared_config_files", "Shared config files to read instead of `~/.aws/config`."))
            .attribute(string_list("shared_credentials_files", "Shared credentials files to read instead of `~/.aws/credentials`."))
            .attribute(
                Attribute::int("max_retries")
                    .optional()
                    .validate(validators::int_between(0, 100))
                    .description("How many times a throttled or failed API call is retried. Unset, `AWS_MAX_ATTEMPTS` (attempts, so retries + 1) or the profile's `max_attempts` decides, else 25 as in the AWS provider."),
            )
            .attribute(
                Attribute::string("retry_mode")
                    .optional()
                    .validate(validators::one_of(&["standard", "adaptive"]))
                    .description("`standard` or `adaptive` retries. Unset, `AWS_RETRY_MODE` or the profile's `retry_mode` decides, else `standard`."),
            )
            .attribute(Attribute::bool("skip_credentials_validation").optional().description("Do not check at configuration that credentials can be found; they are first looked for when an API is called. STS is never called to validate them."))
            .attribute(Attribute::bool("skip_requesting_account_id").optional().description("Never ask STS for the account ID. This provider needs it only for `allowed_account_ids` and `forbidden_account_ids`, which cannot be combined with this flag."))
            .attribute(Attribute::bool("skip_region_validation").optional().description("Accept any region name. Unset or `false`, the region must have the shape of an AWS region name (e.g. `us-east-1`, `us-gov-west-1`)."))
            .attribute(Attribute::bool("skip_metadata_api_check").optional().description("Keep the credential and region look-ups away from the EC2 instance metadata service (IMDS), as `AWS_EC2_METADATA_DISABLED=true` does."))
            .attribute(account_ids("allowed_account_ids", "AWS account IDs the credentials may belong to; checked with STS GetCallerIdentity when set. Conflicts with `forbidden_account_ids`."))
            .attribute(account_ids("forbidden_account_ids", "AWS account IDs the credentials must not belong to; checked with STS GetCallerIdentity when set. Conflicts with `allowed_account_ids`."))
            .attribute(Attribute::string("sts_region").optional().description("Region of the STS endpoint used by `assume_role`, `assume_role_with_web_identity` and the account check. Defaults to `region`."))
            .attribute(Attribute::string("custom_ca_bundle").optional().description("File of PEM certificates to trust, besides the system's, for every AWS call (`AWS_CA_BUNDLE`)."))
            .attribute(Attribute::string("http_proxy").optional().validate(proxy_url()).description("Proxy URL for requests to `http://` endpoints (`HTTP_PROXY`)."))
            .attribute(Attribute::string("https_proxy").optional().validate(proxy_url()).description("Proxy URL for requests to `https://` endpoints, as AWS's are (`HTTPS_PROXY`)."))
            .attribute(Attribute::string("no_proxy").optional().description("Comma-separated hosts, domains (`.example.com`) and networks (`10.0.0.0/8`) reached without a proxy (`NO_PROXY`)."))
            .attribute(Attribute::bool("use_fips_endpoint").optional().description("Use FIPS endpoints (`AWS_USE_FIPS_ENDPOINT`). Endpoints set in `endpoints` are used as they are."))
            .attribute(Attribute::bool("use_dualstack_endpoint").optional().description("Use dual-stack (IPv4 and IPv6) endpoints (`AWS_USE_DUALSTACK_ENDPOINT`). Endpoints set in `endpoints` are used as they are."))
            .attribute(
                Attribute::string("ec2_metadata_service_endpoint")
                    .optional()
                    .validate(validators::string_matches(r"https?://[^\s/]+(/\S*)?", "an http:// or https:// URL, e.g. http://169.254.169.254"))
                    .description("Address of the EC2 instance metadata service, for credentials and region on EC2 (`AWS_EC2_METADATA_SERVICE_ENDPOINT`)."),
            )
            .attribute(
                Attribute::string("ec2_metadata_service_endpoint_mode")
                    .optional()
                    .validate(validators::one_of(&["IPv4", "IPv6"]))
                    .description("`IPv4` or `IPv6` address of the EC2 instance metadata service (`AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE`)."),
            )
            .block(NestedBlock::list(
                "assume_role",
                Block::new()
                    .description("Assume an IAM role before calling App Runner. Repeat the block to chain roles: each assumes its role with the credentials of the one before.")
                    .attribute(Attribute::string("role_arn").optional().validate(validators::arn()).description("ARN of the role to assume."))
                    .attribute(session_name("Session name. Defaults to `terraform-provider-apprunner`."))
                    .attribute(Attribute::string("external_id").optional().validate(validators::string_length(2, 1224)).validate(validators::string_matches(r"[\w+=,.@:/-]*", "letters, digits and _+=,.@:/-")).description("External ID the role's trust policy requires."))
                    .attribute(role_duration())
                    .attribute(session_policy())
                    .attribute(session_policy_arns())
                    .attribute(
                        Attribute::string_map("tags")
                            .optional()
                            .validate(validators::size_between(0, 50))
                            .validate(validators::each_key(validators::string_length(1, 128)))
                            .validate(validators::each_value(validators::string_length(0, 256)))
                            .description("Session tags."),
                    )
                    .attribute(Attribute::string_set("transitive_tag_keys").optional().description("Keys of session tags that pass on to roles assumed from this session."))
                    .attribute(
                        Attribute::string("source_identity")
                            .optional()
                            .validate(validators::string_length(2, 64))
                            .validate(validators::string_matches(r"[\w+=,.@-]*", "letters, digits and _+=,.@-"))
                            .description("Source identity of the session, kept along a role chain."),
                    ),
            ))
            .block(at_most_one(
                "assume_role_with_web_identity",
                "Exchange a web identity (OIDC) token for a role's credentials before calling App Runner (and before any `assume_role`).",
                [
                    Attribute::string("role_arn").optional().validate(validators::arn()).description("ARN of the role to assume (`AWS_ROLE_ARN`)."),
                    session_name("Session name (`AWS_ROLE_SESSION_NAME`). Defaults to `terraform-provider-apprunner`."),
                    Attribute::string("web_identity_token").optional().sensitive().validate(validators::string_length(4, 20000)).description("The token. Conflicts with `web_identity_token_file`."),
                    Attribute::string("web_identity_token_file").optional().description("File holding the token, read again whenever credentials are renewed (`AWS_WEB_IDENTITY_TOKEN_FILE`). Conflicts with `web_identity_token`."),
                    role_duration(),
                    session_policy(),
                    session_policy_arns(),
                ],
            ))
            .block(at_most_one(
                "endpoints",
                "Custom service endpoints, e.g. a local App Runner control plane.",
                [
                    Attribute::string("apprunner").optional().description("App Runner endpoint URL (`AWS_ENDPOINT_URL_APPRUNNER`)."),
                    Attribute::string("sts").optional().description("STS endpoint URL (`AWS_ENDPOINT_URL_STS`), used by `assume_role`, `assume_role_with_web_identity` and the account check."),
                ],
            ))
            .block(at_most_one(
                "default_tags",
                "Tags applied to every taggable resource of this provider.",
                [Attribute::string_map("tags").optional().description("Tags to apply.")],
            ))
            .block(at_most_one(
                "ignore_tags",
                "Tags this provider neither manages nor reports (e.g. tags set by other tools).",
                [
                    Attribute::string_set("keys").optional().description("Exact tag keys to ignore."),
                    Attribute::string_set("key_prefixes").optional().description("Tag key prefixes to ignore."),
                ],
            )),
    )
}

/// A block that appears at most once, declared as the AWS provider does: a
/// list of at most one element.
fn at_most_one<const N: usize>(name: &str, doc: &str, attributes: [Attribute; N]) -> NestedBlock {
    NestedBlock::list(name, Block::new().description(doc).attributes(attributes)).max_items(1)
}

fn account_ids(name: &str, doc: &str) -> Attribute {
    Attribute::string_set(name)
        .optional()
        .validate(validators::each_value(validators::string_matches(
            r"[0-9]{12}",
            "a 12-digit AWS account ID",
        )))
        .description(doc)
}

fn session_name(doc: &str) -> Attribute {
    Attribute::string("session_name")
        .optional()
        .validate(validators::string_length(2, 64))
        .validate(validators::string_matches(
            r"[\w+=,.@-]*",
            "letters, digits and _+=,.@-",
        ))
        .description(doc)
}

fn role_duration() -> Attribute {
    Attribute::string("duration")
        .optional()
        .validate(validators::duration_between(
            Duration::from_secs(15 * 60),
            Duration::from_secs(12 * 3600),
        ))
        .description("Session duration, e.g. `1h` (15m to 12h; at most 1h for a role assumed with another role's credentials).")
}

fn session_policy() -> Attribute {
    Attribute::string("policy")
        .optional()
        .validate(Validator::new(
            "an IAM policy document (JSON object)",
            |v| match v.as_str() {
                Some(text) => match serde_json::from_str::<serde_json::Value>(text) {
                    Ok(serde_json::Value::Object(_)) => Ok(()),
                    Ok(_) => Err("must be an IAM policy document, a JSON object".into()),
                    Err(e) => Err(format!("must be an IAM policy document (JSON): {e}")),
                },
                None => Ok(()),
            },
        ))
        .validate(validators::string_length(1, 2048))
        .description("IAM policy (JSON) further restricting the session.")
}

fn session_policy_arns() -> Attribute {
    Attribute::string_set("policy_arns")
        .optional()
        .validate(validators::size_between(0, 10))
        .validate(validators::each_value(validators::arn()))
        .description("ARNs of managed IAM policies further restricting the session.")
}

fn proxy_url() -> Validator {
    Validator::new("an http:// or https:// proxy URL", |v| match v.as_str() {
        Some(url) => crate::provider::transport::check_proxy_url(url),
        None => Ok(()),
    })
}
