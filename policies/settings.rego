# App Runner policy pack: settings and the plan helpers every rule shares.
#
# Settings come from `data.apprunner` (a JSON or YAML data file, such as
# policies/data.yaml, passed with `conftest test --data` or
# `terraform-provider-apprunner policy check --data`). Each key falls back
# to the default below, so the pack also works with no data at all.
package main

default_settings := {
	# Tag keys, in order, whose value names a resource's environment.
	"environment_tag_keys": ["environment", "env"],
	# Environment values (compared in lower case) that count as production.
	"production_environments": ["production", "prod"],
	# Environments whose images must be pinned by digest (production too).
	"protected_environments": ["production", "prod", "staging"],
	# Tags every taggable App Runner resource must carry (default_tags count).
	"required_tags": ["environment", "owner"],
	# Regions App Runner resources may live in; empty allows every region.
	"allowed_regions": [],
	# Services (addresses or service names) allowed to be reachable from the internet.
	"public_services": [],
	# Environments whose services need a customer managed KMS key.
	"kms_required_environments": [],
	# Environments whose services must send outgoing traffic through a VPC connector.
	"vpc_egress_required_environments": [],
	# Smallest min_size a production service may run with (App Runner spreads
	# instances over Availability Zones only from 2 up).
	"production_min_size": 2,
	# Largest max_size a production service may scale to.
	"production_max_size": 25,
	# Fewest subnets a VPC connector may use (one per Availability Zone).
	"min_connector_subnets": 3,
	# Subnet IDs that are public; VPC connectors must not use them.
	"public_subnets": [],
	# Upper-case fragments of variable names that hold secrets.
	"secret_name_markers": [
		"PASSWORD", "PASSWD", "SECRET", "TOKEN", "APIKEY", "API_KEY",
		"PRIVATE_KEY", "ACCESS_KEY", "CREDENTIAL", "_KEY",
	],
	# Variable names that look like secrets but are not (e.g. key IDs).
	"secret_name_allowed": ["AWS_ACCESS_KEY_ID", "KEY_ID"],
	# App Runner managed runtimes at end of support (App Runner release
	# notes), with the date support ended and what to move to.
	"end_of_support_runtimes": {
		"PYTHON_3": {"ended": "2025-12-01", "use": "PYTHON_311"},
		"NODEJS_12": {"ended": "2025-12-01", "use": "NODEJS_22"},
		"NODEJS_14": {"ended": "2025-12-01", "use": "NODEJS_22"},
		"NODEJS_16": {"ended": "2025-12-01", "use": "NODEJS_22"},
		"NODEJS_18": {"ended": "2025-12-01", "use": "NODEJS_22"},
		"DOTNET_6": {"ended": "2025-12-01", "use": "a container image (image_repository)"},
		"GO_1": {"ended": "2025-12-01", "use": "a container image (image_repository)"},
		"RUBY_31": {"ended": "2025-12-01", "use": "a container image (image_repository)"},
		"PHP_81": {"ended": "2025-12-31", "use": "a container image (image_repository)"},
	},
	# Exemptions by address: {"ADDRESS": ["RULE", ...]}, "*" for every rule.
	# An address without an index also covers its count/for_each instances.
	"exempt_addresses": {},
	# Tag whose value lists the rules a resource is exempt from
	# (comma-separated, or "*").
	"exempt_tag": "policy-exempt",
	# Also check resources the plan leaves unchanged.
	"check_unchanged": false,
}

default user_settings := {}

user_settings := data.apprunner

# setting(key) is the team's value from data.apprunner, else the default.
setting(key) := object.get(user_settings, key, default_settings[key])

# Message text is built with concat rather than sprintf, whose formatting of
# values differs between Rego engines. text(x) writes a string, an integer or
# an array of strings; quoted(x) adds double quotes.
text(x) := x if is_string(x)

text(x) := format_int(x, 10) if is_number(x)

text(x) := concat("", ["[", concat(", ", x), "]"]) if is_array(x)

quoted(x) := concat("", [`"`, text(x), `"`])

# App Runner resource types under both providers' names.
apprunner_type(kind) := {concat("", ["apprunner_", text(kind)]), concat("", ["aws_apprunner_", text(kind)])}

taggable_kinds := {
	"service", "auto_scaling_configuration_version", "vpc_connector",
	"vpc_ingress_connection", "observability_configuration", "connection",
}

regional_kinds := taggable_kinds | {"custom_domain_association", "deployment", "default_auto_scaling_configuration_version"}

# kind(rc) is the App Runner type without its provider prefix.
kind(rc) := k if {
	some k in regional_kinds
	rc.type in apprunner_type(k)
}

managed_changes contains rc if {
	some rc in input.resource_changes
	rc.mode == "managed"
	kind(rc)
}

# Resources the plan creates or updates (replacements included).
checked contains rc if {
	some rc in managed_changes
	some action in rc.change.actions
	action in {"create", "update"}
}

checked contains rc if {
	setting("check_unchanged") == true
	some rc in managed_changes
	rc.change.actions == ["no-op"]
}

changes_of(k) := {rc | some rc in checked; kind(rc) == k}

# first(list) is a block's single element, or {} when it is absent.
first(list) := list[0] if {
	is_array(list)
	count(list) > 0
} else := {}

block(obj, name) := first(object.get(obj, name, []))

# The address without a count/for_each index.
base_address(rc) := concat(".", [rc.module_address, rc.type, rc.name]) if rc.module_address

base_address(rc) := concat(".", [rc.type, rc.name]) if not rc.module_address

# Configuration of every resource, keyed by its full base address.
config_resources[address] := res if {
	some res in input.configuration.root_module.resources
	address := res.address
}

config_resources[address] := res if {
	walk(input.configuration.root_module, [path, node])
	count(path) > 0
	path[count(path) - 1] == "module"
	some res in node.resources
	address := concat("", [text(module_prefix(path)), ".", text(res.address)])
}

# module_prefix(["module_calls", "a", "module", "module_calls", "b", "module"])
# is "module.a.module.b".
module_prefix(path) := concat(".", names) if {
	names := [name |
		some i
		path[i] == "module_calls"
		name := concat("", ["module.", text(path[i + 1])])
	]
}

provider_config(rc) := input.configuration.provider_config[config_resources[base_address(rc)].provider_config_key]

provider_region(rc) := provider_config(rc).expressions.region.constant_value

default_tags_of(rc) := tags if {
	tags := block(provider_config(rc).expressions, "default_tags").tags.constant_value
	is_object(tags)
} else := {}

tags_of(values) := tags if {
	tags := values.tags
	is_object(tags)
} else := {}

# The tags a resource will have, the provider's default_tags included.
resource_tags(rc) := rc.change.after.tags_all if is_object(rc.change.after.tags_all)

resource_tags(rc) := object.union(default_tags_of(rc), tags_of(rc.change.after)) if {
	not is_object(rc.change.after.tags_all)
}

before_tags(rc) := rc.change.before.tags_all if is_object(rc.change.before.tags_all)

before_tags(rc) := tags_of(rc.change.before) if not is_object(rc.change.before.tags_all)

# The tags a resource has after the plan, or had before a delete.
own_tags(rc) := resource_tags(rc) if is_object(rc.change.after)

own_tags(rc) := before_tags(rc) if not is_object(rc.change.after)

tagged_environment(tags) := envs[0] if {
	envs := [lower(value) |
		some key in setting("environment_tag_keys")
		value := tags[key]
		is_string(value)
	]
	count(envs) > 0
}

# A resource's environment: its own tag, else (custom domains, ingress
# connections, deployments) that of the service it belongs to.
environment(rc) := env if {
	env := tagged_environment(own_tags(rc))
} else := env if {
	envs := sort([e | some svc in related(rc, "service_arn"); e := tagged_environment(own_tags(svc))])
	count(envs) > 0
	env := envs[0]
}

production_environments := {lower(e) | some e in setting("production_environments")}

protected_environments := production_environments | {lower(e) | some e in setting("protected_environments")}

in_production(rc) if environment(rc) in production_environments

in_protected(rc) if environment(rc) in protected_environments

# A reference written in rc's module, as a full address.
qualified(rc, ref) := concat(".", [rc.module_address, ref]) if rc.module_address

qualified(rc, ref) := ref if not rc.module_address

# refers(rc, attr, other): rc's attribute attr names `other`, by ARN or by
# a reference in the configuration (when the ARN is not known yet).
refers(rc, attr, other) if {
	some side in ["after", "before"]
	value := rc.change[side][attr]
	is_string(value)
	some other_side in ["after", "before"]
	value == other.change[other_side].arn
}

refers(rc, attr, other) if {
	res := config_resources[base_address(rc)]
	some ref in res.expressions[attr].references
	qualified(rc, ref) in {base_address(other), other.address}
}

related(rc, attr) := {other |
	some other in managed_changes
	other.address != rc.address
	refers(rc, attr, other)
}

arn_region(arn) := parts[3] if {
	is_string(arn)
	parts := split(arn, ":")
	count(parts) > 3
	parts[3] != ""
}

# The region a resource is managed in: its `region`, the region of the
# service it belongs to, or the provider's region.
region(rc) := r if {
	r := rc.change.after.region
	is_string(r)
} else := r if {
	r := arn_region(rc.change.after.service_arn)
} else := r if {
	r := provider_region(rc)
	is_string(r)
}

# Exemptions: by address (with or without its index) or by tag.
exempt(rc, rule) if {
	some address in {rc.address, base_address(rc)}
	rules := setting("exempt_addresses")[address]
	some r in rules
	r in {rule, "*"}
}

exempt(rc, rule) if {
	value := own_tags(rc)[setting("exempt_tag")]
	is_string(value)
	some r in split(value, ",")
	trim_space(r) in {rule, "*"}
}

# Conftest reads `deny` and `warn`; each message starts with the address.
deny contains msg if {
	some v in violations
	v.level == "deny"
	not exempt(v.rc, v.rule)
	msg := concat("", [text(v.rc.address), ": ", text(v.msg), " [", text(v.rule), "]"])
}

warn contains msg if {
	some v in violations
	v.level == "warn"
	not exempt(v.rc, v.rule)
	msg := concat("", [text(v.rc.address), ": ", text(v.msg), " [", text(v.rule), "]"])
}
