# Unit tests of the App Runner policy pack: each rule fires on a plan that
# breaks it and stays quiet on one that keeps it (`opa test policies/`,
# `conftest verify --policy policies/`).
package main

digest_image := "123456789012.dkr.ecr.us-east-1.amazonaws.com/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

compliant_service := {
	"service_name": "web-api",
	"region": "us-east-1",
	"tags": {"environment": "production", "owner": "team-web"},
	"tags_all": {"environment": "production", "owner": "team-web"},
	"auto_scaling_configuration_arn": "arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration/prod/1/0123456789abcdef0123456789abcdef",
	"source_configuration": [{
		"auto_deployments_enabled": false,
		"code_repository": [],
		"image_repository": [{
			"image_identifier": digest_image,
			"image_repository_type": "ECR",
			"image_configuration": [{
				"runtime_environment_variables": {"LOG_LEVEL": "info"},
				"runtime_environment_secrets": {"DB_PASSWORD": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db"},
			}],
		}],
	}],
	"instance_configuration": [{"instance_role_arn": "arn:aws:iam::123456789012:role/web"}],
	"health_check_configuration": [{"protocol": "HTTP", "path": "/health"}],
	"network_configuration": [{
		"ingress_configuration": [{"is_publicly_accessible": false}],
		"egress_configuration": [{"egress_type": "VPC", "vpc_connector_arn": "arn:aws:apprunner:us-east-1:123456789012:vpcconnector/c/1/0123456789abcdef0123456789abcdef"}],
	}],
	"observability_configuration": [{"observability_enabled": true}],
	"encryption_configuration": [{"kms_key": "arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f"}],
}

change(type, name, actions, before, after) := {
	"address": concat("", [text(type), ".", text(name)]),
	"mode": "managed",
	"type": type,
	"name": name,
	"change": {"actions": actions, "before": before, "after": after, "after_unknown": {}},
}

service(after) := change("apprunner_service", "web", ["create"], null, after)

plan(changes) := {
	"resource_changes": changes,
	"configuration": {"provider_config": {}, "root_module": {"resources": []}},
}

# fired(rule, address): a deny message of `rule` about `address`.
fired(rule, address) if {
	some msg in deny
	startswith(msg, concat("", [text(address), ": "]))
	endswith(msg, concat("", ["[", text(rule), "]"]))
}

warned(rule, address) if {
	some msg in warn
	startswith(msg, concat("", [text(address), ": "]))
	endswith(msg, concat("", ["[", text(rule), "]"]))
}

dev_tags := {"environment": "dev", "owner": "team-web"}

test_compliant_service_passes if {
	count(deny) == 0 with input as plan([service(compliant_service)])
	count(warn) == 0 with input as plan([service(compliant_service)])
}

test_public_service if {
	public := object.union(compliant_service, {"network_configuration": []})
	fired("public_service", "apprunner_service.web") with input as plan([service(public)])
	not fired("public_service", "apprunner_service.web") with input as plan([service(public)])
		with data.apprunner as {"public_services": ["web-api"]}
}

test_rules_match_aws_provider_types if {
	public := object.union(compliant_service, {"network_configuration": []})
	rc := change("aws_apprunner_service", "web", ["create"], null, public)
	fired("public_service", "aws_apprunner_service.web") with input as plan([rc])
}

test_mutable_image_in_protected_environment if {
	tagged := object.union(compliant_service, {"source_configuration": [{"auto_deployments_enabled": false, "image_repository": [{"image_identifier": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.2.3", "image_repository_type": "ECR"}]}]})
	fired("mutable_image", "apprunner_service.web") with input as plan([service(tagged)])
	dev := object.union(tagged, {"tags_all": dev_tags})
	not fired("mutable_image", "apprunner_service.web") with input as plan([service(dev)])
}

test_latest_image_warns_outside_protected_environments if {
	latest := object.union(compliant_service, {
		"tags_all": dev_tags,
		"source_configuration": [{"auto_deployments_enabled": false, "image_repository": [{"image_identifier": "public.ecr.aws/aws-containers/hello-app-runner:latest", "image_repository_type": "ECR_PUBLIC"}]}],
	})
	warned("latest_image", "apprunner_service.web") with input as plan([service(latest)])
	not warned("latest_image", "apprunner_service.web") with input as plan([service(object.union(compliant_service, {"tags_all": dev_tags}))])
}

test_auto_deployments_with_mutable_tag_in_production if {
	auto := object.union(compliant_service, {"source_configuration": [{"auto_deployments_enabled": true, "image_repository": [{"image_identifier": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:main", "image_repository_type": "ECR"}]}]})
	fired("auto_deploy_mutable_tag", "apprunner_service.web") with input as plan([service(auto)])
	pinned := object.union(compliant_service, {"source_configuration": [{"auto_deployments_enabled": true, "image_repository": [{"image_identifier": digest_image, "image_repository_type": "ECR"}]}]})
	not fired("auto_deploy_mutable_tag", "apprunner_service.web") with input as plan([service(pinned)])
}

test_plaintext_secret if {
	leaky := object.union(compliant_service, {"source_configuration": [{"auto_deployments_enabled": false, "image_repository": [{"image_identifier": digest_image, "image_repository_type": "ECR", "image_configuration": [{"runtime_environment_variables": {"STRIPE_API_KEY": "sk_live"}}]}]}]})
	fired("plaintext_secret", "apprunner_service.web") with input as plan([service(leaky)])
	not fired("plaintext_secret", "apprunner_service.web") with input as plan([service(compliant_service)])
}

test_secrets_without_instance_role if {
	roleless := object.union(compliant_service, {"instance_configuration": []})
	fired("secrets_without_instance_role", "apprunner_service.web") with input as plan([service(roleless)])
	unknown_role := object.union(service(roleless), {"change": {"after_unknown": {"instance_configuration": [{"instance_role_arn": true}]}}})
	not fired("secrets_without_instance_role", "apprunner_service.web") with input as plan([unknown_role])
}

test_customer_managed_kms_where_required if {
	plain := object.union(compliant_service, {"encryption_configuration": []})
	fired("customer_managed_kms", "apprunner_service.web") with input as plan([service(plain)])
		with data.apprunner as {"kms_required_environments": ["production"]}
	not fired("customer_managed_kms", "apprunner_service.web") with input as plan([service(plain)])
}

test_tracing_off_in_production if {
	untraced := object.union(compliant_service, {"observability_configuration": []})
	fired("tracing_off", "apprunner_service.web") with input as plan([service(untraced)])
	not fired("tracing_off", "apprunner_service.web") with input as plan([service(object.union(untraced, {"tags_all": dev_tags}))])
}

test_tcp_health_check_in_production if {
	tcp := object.union(compliant_service, {"health_check_configuration": [{"protocol": "TCP"}]})
	fired("tcp_health_check", "apprunner_service.web") with input as plan([service(tcp)])
	absent := object.union(compliant_service, {"health_check_configuration": []})
	fired("tcp_health_check", "apprunner_service.web") with input as plan([service(absent)])
}

test_vpc_egress_where_required if {
	open_egress := object.union(compliant_service, {"network_configuration": [{"ingress_configuration": [{"is_publicly_accessible": false}]}]})
	fired("vpc_egress_required", "apprunner_service.web") with input as plan([service(open_egress)])
		with data.apprunner as {"vpc_egress_required_environments": ["production"]}
	not fired("vpc_egress_required", "apprunner_service.web") with input as plan([service(compliant_service)])
		with data.apprunner as {"vpc_egress_required_environments": ["production"]}
}

code_service(runtime) := object.union(compliant_service, {"source_configuration": [{
	"auto_deployments_enabled": false,
	"image_repository": [],
	"code_repository": [{"code_configuration": [{"configuration_source": "API", "code_configuration_values": [{"runtime": runtime}]}]}],
}]})

test_end_of_support_runtime if {
	fired("end_of_support_runtime", "apprunner_service.web") with input as plan([service(code_service("NODEJS_16"))])
	not fired("end_of_support_runtime", "apprunner_service.web") with input as plan([service(code_service("NODEJS_22"))])
}

# A service that references a scaling configuration created in the same plan.
scaling_plan(min_size, max_size) := {
	"resource_changes": [
		service(object.union(compliant_service, {"auto_scaling_configuration_arn": null})),
		change("apprunner_auto_scaling_configuration_version", "prod", ["create"], null, {"min_size": min_size, "max_size": max_size, "tags_all": compliant_service.tags_all}),
	],
	"configuration": {"provider_config": {}, "root_module": {"resources": [{
		"address": "apprunner_service.web",
		"expressions": {"auto_scaling_configuration_arn": {"references": ["apprunner_auto_scaling_configuration_version.prod.arn", "apprunner_auto_scaling_configuration_version.prod"]}},
	}]}},
}

test_single_availability_zone if {
	fired("single_availability_zone", "apprunner_service.web") with input as scaling_plan(1, 10)
	not fired("single_availability_zone", "apprunner_service.web") with input as scaling_plan(2, 10)
}

test_scaling_floor if {
	fired("scaling_floor", "apprunner_service.web") with input as scaling_plan(2, 10) with data.apprunner as {"production_min_size": 3}
	not fired("scaling_floor", "apprunner_service.web") with input as scaling_plan(3, 10) with data.apprunner as {"production_min_size": 3}
}

test_scaling_budget if {
	fired("scaling_budget", "apprunner_service.web") with input as scaling_plan(2, 30)
	not fired("scaling_budget", "apprunner_service.web") with input as scaling_plan(2, 25)
}

test_default_auto_scaling_warns if {
	defaulted := object.union(compliant_service, {"auto_scaling_configuration_arn": null})
	warned("default_auto_scaling", "apprunner_service.web") with input as plan([service(defaulted)])
}

test_unknown_environment_warns if {
	untagged := object.union(object.remove(compliant_service, ["tags", "tags_all"]), {"tags_all": {"owner": "team-web"}})
	warned("unknown_environment", "apprunner_service.web") with input as plan([service(untagged)])
}

connector(subnets) := change("apprunner_vpc_connector", "egress", ["create"], null, {"subnets": subnets, "tags_all": compliant_service.tags_all})

test_connector_subnets if {
	fired("connector_subnets", "apprunner_vpc_connector.egress") with input as plan([connector(["subnet-a", "subnet-b"])])
	not fired("connector_subnets", "apprunner_vpc_connector.egress") with input as plan([connector(["subnet-a", "subnet-b", "subnet-c"])])
}

test_public_subnet if {
	fired("public_subnet", "apprunner_vpc_connector.egress") with input as plan([connector(["subnet-a", "subnet-b", "subnet-pub"])])
		with data.apprunner as {"public_subnets": ["subnet-pub"]}
	not fired("public_subnet", "apprunner_vpc_connector.egress") with input as plan([connector(["subnet-a", "subnet-b", "subnet-pub"])])
}

test_allowed_region if {
	domain := change("apprunner_custom_domain_association", "www", ["create"], null, {"domain_name": "example.com", "service_arn": "arn:aws:apprunner:ap-south-1:123456789012:service/web/0123"})
	fired("allowed_region", "apprunner_custom_domain_association.www") with input as plan([domain]) with data.apprunner as {"allowed_regions": ["us-east-1"]}
	not fired("allowed_region", "apprunner_service.web") with input as plan([service(compliant_service)]) with data.apprunner as {"allowed_regions": ["us-east-1"]}
}

test_required_tags if {
	fired("required_tags", "apprunner_vpc_connector.egress") with input as plan([change("apprunner_vpc_connector", "egress", ["create"], null, {"subnets": ["a", "b", "c"], "tags_all": {"environment": "dev"}})])
	not fired("required_tags", "apprunner_vpc_connector.egress") with input as plan([connector(["a", "b", "c"])])
}

deleted_service := change("apprunner_service", "web", ["delete"], compliant_service, null)

test_delete_guard if {
	fired("delete_guard", "apprunner_service.web") with input as plan([deleted_service])
	replaced := change("apprunner_service", "web", ["delete", "create"], compliant_service, compliant_service)
	fired("delete_guard", "apprunner_service.web") with input as plan([replaced])
	dev := change("apprunner_service", "web", ["delete"], object.union(compliant_service, {"tags_all": dev_tags}), null)
	not fired("delete_guard", "apprunner_service.web") with input as plan([dev])
}

test_delete_guard_on_custom_domain_of_production_service if {
	svc := change("apprunner_service", "web", ["no-op"], object.union(compliant_service, {"arn": "arn:aws:apprunner:us-east-1:123456789012:service/web-api/0123"}), object.union(compliant_service, {"arn": "arn:aws:apprunner:us-east-1:123456789012:service/web-api/0123"}))
	domain := change("apprunner_custom_domain_association", "www", ["delete"], {"domain_name": "example.com", "service_arn": "arn:aws:apprunner:us-east-1:123456789012:service/web-api/0123"}, null)
	fired("delete_guard", "apprunner_custom_domain_association.www") with input as plan([svc, domain])
}

test_exemption_by_address if {
	not fired("delete_guard", "apprunner_service.web") with input as plan([deleted_service])
		with data.apprunner as {"exempt_addresses": {"apprunner_service.web": ["delete_guard"]}}
	fired("delete_guard", "apprunner_service.web") with input as plan([deleted_service])
		with data.apprunner as {"exempt_addresses": {"apprunner_service.web": ["tracing_off"]}}
}

test_exemption_by_tag if {
	exempt_tags := object.union(compliant_service.tags_all, {"policy-exempt": "tracing_off, delete_guard"})
	tagged := change("apprunner_service", "web", ["delete"], object.union(compliant_service, {"tags_all": exempt_tags}), null)
	not fired("delete_guard", "apprunner_service.web") with input as plan([tagged])
}

test_unchanged_resources_are_not_checked_by_default if {
	public := object.union(compliant_service, {"network_configuration": []})
	unchanged := change("apprunner_service", "web", ["no-op"], public, public)
	not fired("public_service", "apprunner_service.web") with input as plan([unchanged])
	fired("public_service", "apprunner_service.web") with input as plan([unchanged]) with data.apprunner as {"check_unchanged": true}
}
