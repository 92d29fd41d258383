# App Runner policy pack: rules across the estate: VPC connectors, regions,
# required tags, and a guard against deleting production services or
# custom domains.
package main

violations contains {"rule": "connector_subnets", "level": "deny", "rc": rc, "msg": msg} if {
	some rc in changes_of("vpc_connector")
	subnets := rc.change.after.subnets
	is_array(subnets)
	minimum := setting("min_connector_subnets")
	count(subnets) < minimum
	msg := concat("", ["the VPC connector uses ", text(count(subnets)), " subnet(s); list at least ", text(minimum), " subnets in different Availability Zones so App Runner keeps egress through an Availability Zone outage"])
}

violations contains {"rule": "public_subnet", "level": "deny", "rc": rc, "msg": msg} if {
	some rc in changes_of("vpc_connector")
	some subnet in rc.change.after.subnets
	subnet in setting("public_subnets")
	msg := concat("", ["subnet ", quoted(subnet), " is public (public_subnets in data.apprunner); App Runner egress needs private subnets with a NAT gateway, so replace it in subnets"])
}

violations contains {"rule": "allowed_region", "level": "deny", "rc": rc, "msg": msg} if {
	allowed := setting("allowed_regions")
	count(allowed) > 0
	some rc in checked
	r := region(rc)
	not r in allowed
	msg := concat("", ["region ", quoted(r), " is not allowed (allowed_regions: ", text(allowed), "); set region, or the provider's region, to an allowed one"])
}

violations contains {"rule": "required_tags", "level": "deny", "rc": rc, "msg": msg} if {
	some rc in checked
	kind(rc) in taggable_kinds
	tags := resource_tags(rc)
	missing := [key |
		some key in setting("required_tags")
		not non_empty_tag(tags, key)
	]
	count(missing) > 0
	msg := concat("", ["missing required tags ", text(missing), "; add them to tags or to the provider's default_tags"])
}

non_empty_tag(tags, key) if {
	is_string(tags[key])
	tags[key] != ""
}

guarded_kinds := {"service", "custom_domain_association"}

violations contains {"rule": "delete_guard", "level": "deny", "rc": rc, "msg": msg} if {
	some rc in managed_changes
	kind(rc) in guarded_kinds
	"delete" in rc.change.actions
	in_production(rc)
	verb := replace_or_delete(rc)
	msg := concat("", ["the plan ", text(verb), " this ", text(replace(kind(rc), "_", " ")), " in production; if that is intended, exempt the address from delete_guard in exempt_addresses in data.apprunner (or tag it), else change the configuration so nothing forces it"])
}

replace_or_delete(rc) := "replaces" if "create" in rc.change.actions

replace_or_delete(rc) := "deletes" if not "create" in rc.change.actions
