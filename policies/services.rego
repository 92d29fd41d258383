# App Runner policy pack: rules on services (apprunner_service and
# aws_apprunner_service).
package main

source(rc) := block(rc.change.after, "source_configuration")

image_repository(rc) := block(source(rc), "image_repository")

code_values(rc) := block(block(block(source(rc), "code_repository"), "code_configuration"), "code_configuration_values")

# The blocks that carry environment variables and secrets, for either source.
runtime_blocks(rc) := [block(image_repository(rc), "image_configuration"), code_values(rc)]

map_of(obj, name) := value if {
	value := obj[name]
	is_object(value)
} else := {}

environment_variables(rc) := object.union(map_of(runtime_blocks(rc)[0], "runtime_environment_variables"), map_of(runtime_blocks(rc)[1], "runtime_environment_variables"))

environment_secrets(rc) := object.union(map_of(runtime_blocks(rc)[0], "runtime_environment_secrets"), map_of(runtime_blocks(rc)[1], "runtime_environment_secrets"))

image_identifier(rc) := id if {
	id := image_repository(rc).image_identifier
	is_string(id)
}

# The last path segment of an image, e.g. "app:1.2" or "app@sha256:...".
image_name(id) := parts[count(parts) - 1] if {
	parts := split(id, "/")
}

pinned_by_digest(id) if contains(image_name(id), "@sha256:")

latest_tag(id) if endswith(image_name(id), ":latest")

latest_tag(id) if {
	not contains(image_name(id), ":")
	not contains(image_name(id), "@")
}

auto_deployments_on(rc) if source(rc).auto_deployments_enabled == true

# Unknown until apply: App Runner's default is on (except ECR_PUBLIC, which
# the provider plans as off).
auto_deployments_on(rc) if rc.change.after_unknown.source_configuration[0].auto_deployments_enabled == true

service_name(rc) := name if {
	name := rc.change.after.service_name
	is_string(name)
} else := rc.name

publicly_accessible(rc) if {
	ingress := block(block(rc.change.after, "network_configuration"), "ingress_configuration")
	object.get(ingress, "is_publicly_accessible", true) != false
}

allowed_public(rc) if {
	some allowed in setting("public_services")
	allowed in {rc.address, base_address(rc), service_name(rc)}
}

violations contains {"rule": "public_service", "level": "deny", "rc": rc, "msg": msg} if {
	some rc in changes_of("service")
	publicly_accessible(rc)
	not allowed_public(rc)
	msg := concat("", ["service ", quoted(service_name(rc)), " is reachable from the internet; set network_configuration { ingress_configuration { is_publicly_accessible = false } } and reach it through an apprunner_vpc_ingress_connection, or list it in public_services in data.apprunner"])
}

violations contains {"rule": "mutable_image", "level": "deny", "rc": rc, "msg": msg} if {
	some rc in changes_of("service")
	in_protected(rc)
	id := image_identifier(rc)
	not pinned_by_digest(id)
	msg := concat("", ["image ", quoted(id), " is referenced by a mutable tag in environment ", quoted(environment(rc)), "; pin it by digest in image_identifier (REPOSITORY@sha256:DIGEST)"])
}

violations contains {"rule": "latest_image", "level": "warn", "rc": rc, "msg": msg} if {
	some rc in changes_of("service")
	not in_protected(rc)
	id := image_identifier(rc)
	latest_tag(id)
	msg := concat("", ["image ", quoted(id), " uses the latest tag; use a version tag or a digest in image_identifier so a deployment is repeatable"])
}

violations contains {"rule": "auto_deploy_mutable_tag", "level": "deny", "rc": rc, "msg": msg} if {
	some rc in changes_of("service")
	in_production(rc)
	auto_deployments_on(rc)
	id := image_identifier(rc)
	not pinned_by_digest(id)
	msg := concat("", ["auto deployments are on for the mutable image ", quoted(id), " in production, so any push deploys; set source_configuration { auto_deployments_enabled = false } and deploy pinned digests"])
}

looks_like_secret(name) if {
	upper_name := upper(name)
	not upper_name in {upper(a) | some a in setting("secret_name_allowed")}
	some marker in setting("secret_name_markers")
	contains(upper_name, upper(marker))
}

violations contains {"rule": "plaintext_secret", "level": "deny", "rc": rc, "msg": msg} if {
	some rc in changes_of("service")
	some name, _ in environment_variables(rc)
	looks_like_secret(name)
	msg := concat("", ["runtime_environment_variables[", quoted(name), "] looks like a secret in plain text; move it to runtime_environment_secrets as the ARN of a Secrets Manager secret or SSM parameter"])
}

violations contains {"rule": "secrets_without_instance_role", "level": "deny", "rc": rc, "msg": msg} if {
	some rc in changes_of("service")
	count(environment_secrets(rc)) > 0
	not is_string(block(rc.change.after, "instance_configuration").instance_role_arn)
	not rc.change.after_unknown.instance_configuration[0].instance_role_arn
	msg := "runtime_environment_secrets are set but the service has no instance role to read them; set instance_configuration { instance_role_arn = ROLE_ARN } with a role allowed to read the secrets"
}

violations contains {"rule": "customer_managed_kms", "level": "deny", "rc": rc, "msg": msg} if {
	some rc in changes_of("service")
	environment(rc) in {lower(e) | some e in setting("kms_required_environments")}
	not is_string(block(rc.change.after, "encryption_configuration").kms_key)
	not rc.change.after_unknown.encryption_configuration[0].kms_key
	msg := concat("", ["environment ", quoted(environment(rc)), " requires a customer managed KMS key; set encryption_configuration { kms_key = KMS_KEY_ARN } (adding it later replaces the service)"])
}

tracing_on(rc) if block(rc.change.after, "observability_configuration").observability_enabled == true

violations contains {"rule": "tracing_off", "level": "deny", "rc": rc, "msg": msg} if {
	some rc in changes_of("service")
	in_production(rc)
	not tracing_on(rc)
	msg := "tracing is off in production; set observability_configuration { observability_enabled = true, observability_configuration_arn = apprunner_observability_configuration.NAME.arn }"
}

http_health_check(rc) if {
	protocol := block(rc.change.after, "health_check_configuration").protocol
	is_string(protocol)
	upper(protocol) == "HTTP"
}

violations contains {"rule": "tcp_health_check", "level": "deny", "rc": rc, "msg": msg} if {
	some rc in changes_of("service")
	in_production(rc)
	not http_health_check(rc)
	msg := `the health check is TCP, which passes as soon as the port accepts connections; set health_check_configuration { protocol = "HTTP", path = "/health" } for this HTTP service in production`
}

vpc_egress(rc) if {
	egress := block(block(rc.change.after, "network_configuration"), "egress_configuration")
	egress.egress_type == "VPC"
}

vpc_egress(rc) if {
	egress := block(block(rc.change.after, "network_configuration"), "egress_configuration")
	is_string(egress.vpc_connector_arn)
}

vpc_egress(rc) if rc.change.after_unknown.network_configuration[0].egress_configuration[0].vpc_connector_arn == true

violations contains {"rule": "vpc_egress_required", "level": "deny", "rc": rc, "msg": msg} if {
	some rc in changes_of("service")
	environment(rc) in {lower(e) | some e in setting("vpc_egress_required_environments")}
	not vpc_egress(rc)
	msg := concat("", ["environment ", quoted(environment(rc)), ` requires outgoing traffic through a VPC; set network_configuration { egress_configuration { egress_type = "VPC", vpc_connector_arn = apprunner_vpc_connector.NAME.arn } }`])
}

violations contains {"rule": "end_of_support_runtime", "level": "deny", "rc": rc, "msg": msg} if {
	some rc in changes_of("service")
	runtime := code_values(rc).runtime
	eos := setting("end_of_support_runtimes")[runtime]
	msg := concat("", ["runtime ", text(runtime), " reached end of support on ", text(eos.ended), "; set code_configuration_values { runtime } to ", text(eos.use)])
}

# Auto scaling: through the configuration the service references, when it
# is in the plan.
scaling_configurations(rc) := {asc |
	some asc in related(rc, "auto_scaling_configuration_arn")
	kind(asc) == "auto_scaling_configuration_version"
	is_object(asc.change.after)
}

violations contains {"rule": "single_availability_zone", "level": "deny", "rc": rc, "msg": msg} if {
	some rc in changes_of("service")
	in_production(rc)
	some asc in scaling_configurations(rc)
	asc.change.after.min_size < 2
	msg := concat("", [text(asc.address), " has min_size ", text(asc.change.after.min_size), ", which keeps one instance in one Availability Zone; set min_size to at least 2 for a production service"])
}

violations contains {"rule": "scaling_floor", "level": "deny", "rc": rc, "msg": msg} if {
	some rc in changes_of("service")
	in_production(rc)
	some asc in scaling_configurations(rc)
	floor := setting("production_min_size")
	asc.change.after.min_size >= 2
	asc.change.after.min_size < floor
	msg := concat("", [text(asc.address), " has min_size ", text(asc.change.after.min_size), ", below the production floor of ", text(floor), "; raise min_size to ", text(floor)])
}

violations contains {"rule": "scaling_budget", "level": "deny", "rc": rc, "msg": msg} if {
	some rc in changes_of("service")
	in_production(rc)
	some asc in scaling_configurations(rc)
	budget := setting("production_max_size")
	asc.change.after.max_size > budget
	msg := concat("", [text(asc.address), " has max_size ", text(asc.change.after.max_size), ", above the production budget of ", text(budget), "; lower max_size to ", text(budget), " or raise production_max_size in data.apprunner"])
}

uses_account_default_scaling(rc) if {
	not is_string(rc.change.after.auto_scaling_configuration_arn)
	not config_resources[base_address(rc)].expressions.auto_scaling_configuration_arn
}

violations contains {"rule": "default_auto_scaling", "level": "warn", "rc": rc, "msg": msg} if {
	some rc in changes_of("service")
	in_production(rc)
	uses_account_default_scaling(rc)
	msg := "the service uses the account's default auto scaling configuration (min_size 1 unless changed); set auto_scaling_configuration_arn to an apprunner_auto_scaling_configuration_version with min_size of at least 2"
}

violations contains {"rule": "unknown_environment", "level": "warn", "rc": rc, "msg": msg} if {
	some rc in changes_of("service")
	not environment(rc)
	msg := concat("", ["the service has no environment tag (one of ", text(setting("environment_tag_keys")), "), so environment rules cannot apply; add one to tags or the provider's default_tags"])
}
