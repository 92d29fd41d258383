//! Reconciling what App Runner reports with what Terraform holds: blocks
//! left to App Runner stay out of state, values App Runner normalises keep
//! the configured form, an import keeps only the blocks that differ from
//! App Runner's defaults, and unknown planned values are filled from what
//! is known after an apply.

use crate::plugin::Value;

use super::rules::{same_cpu, same_memory};
use super::values::*;

/// Blocks that stay out of state when the configuration leaves them out.
pub(super) const LEFT_TO_APP_RUNNER: &[&str] = &[
    "instance_configuration",
    "health_check_configuration",
    "network_configuration",
];

/// The state for `remote` (from [`remote_state`]) given `base`, the state
/// or plan it refreshes (an import's is [`import_base`]): blocks `base`
/// leaves out stay out unless they differ from what leaving them out means,
/// and values App Runner normalises keep `base`'s representation.
pub(super) fn reconcile(base: &Value, remote: &Value) -> Value {
    let mut out = remote.clone();
    for name in LEFT_TO_APP_RUNNER {
        if !has_block(base, name) {
            out.set_attr(name, list(vec![]));
        }
    }
    // Normalised values keep the configured form.
    let asc = base.attr("auto_scaling_configuration_arn");
    if let (Some(b), Some(r)) = (
        asc.as_str(),
        remote.attr("auto_scaling_configuration_arn").as_str(),
    ) && r.starts_with(&format!("{b}/"))
    {
        out.set_attr("auto_scaling_configuration_arn", asc.clone());
    }
    if let Some(instance) = first_mut(&mut out, "instance_configuration") {
        let b = first(base, "instance_configuration");
        keep_if(instance, b, "cpu", same_cpu);
        keep_if(instance, b, "memory", same_memory);
    }
    // Observability: absent and off are the same; the default configuration
    // is what an unset ARN means.
    let base_obs = first(base, "observability_configuration");
    let remote_obs = first(remote, "observability_configuration").clone();
    let enabled = remote_obs.attr("observability_enabled").as_bool() == Some(true);
    if !enabled && base_obs.is_null() {
        out.set_attr("observability_configuration", list(vec![]));
    } else {
        let arn = remote_obs.attr("observability_configuration_arn");
        let arn = if base_obs.attr("observability_configuration_arn").is_null()
            && is_default_observability(arn)
        {
            Value::Null
        } else {
            arn.clone()
        };
        out.set_attr(
            "observability_configuration",
            list(vec![object(vec![
                ("observability_enabled", enabled.into()),
                ("observability_configuration_arn", arn),
            ])]),
        );
    }
    reconcile_source(base, &mut out);
    reconcile_network(base, &mut out);
    out
}

pub(super) fn is_default_observability(arn: &Value) -> bool {
    arn.as_str()
        .is_some_and(|a| a.contains(":observabilityconfiguration/DefaultConfiguration/"))
}

/// Whether the egress block `e` (null: absent) is the default egress.
pub(super) fn is_default_egress(e: &Value) -> bool {
    e.is_null()
        || (matches!(e.attr("egress_type").as_str(), None | Some("DEFAULT"))
            && e.attr("vpc_connector_arn").is_null())
}

/// Whether the ingress block `i` (null: absent) is the default: public.
pub(super) fn is_public_ingress(i: &Value) -> bool {
    i.attr("is_publicly_accessible").as_bool() != Some(false)
}

/// Whether an image configuration holds only App Runner's defaults.
pub(super) fn is_default_image_configuration(config: &Value) -> bool {
    config.attr("start_command").is_null()
        && matches!(config.attr("port").as_str(), None | Some("8080"))
        && is_empty_map(config.attr("runtime_environment_variables"))
        && is_empty_map(config.attr("runtime_environment_secrets"))
}

/// The base an import reconciles `remote` with: the configuration that
/// writes out only what differs from App Runner's defaults. Every optional
/// block whose values are all defaults is left out (nested ones too), so
/// the imported state is the state a create with that configuration
/// leaves, and such a configuration plans no changes.
pub(super) fn import_base(remote: &Value) -> Value {
    let mut base = remote.clone();
    let instance = first(remote, "instance_configuration");
    if !instance.is_null()
        && same_cpu(instance.attr("cpu"), &"1024".into())
        && same_memory(instance.attr("memory"), &"2048".into())
        && instance.attr("instance_role_arn").is_null()
    {
        base.set_attr("instance_configuration", list(vec![]));
    }
    let health = first(remote, "health_check_configuration");
    let is = |name: &str, default: Value| {
        let v = health.attr(name);
        v.is_null() || *v == default
    };
    if !health.is_null()
        && is("healthy_threshold", 1.into())
        && is("interval", 5.into())
        && is("path", "/".into())
        && is("protocol", "TCP".into())
        && is("timeout", 2.into())
        && is("unhealthy_threshold", 5.into())
    {
        base.set_attr("health_check_configuration", list(vec![]));
    }
    if let Some(network) = first_mut(&mut base, "network_configuration") {
        if is_default_egress(first(network, "egress_configuration")) {
            network.set_attr("egress_configuration", list(vec![]));
        }
        if is_public_ingress(first(network, "ingress_configuration")) {
            network.set_attr("ingress_configuration", list(vec![]));
        }
        let ipv4 = matches!(
            network.attr("ip_address_type").as_str(),
            None | Some("IPV4")
        );
        if ipv4
            && !has_block(network, "egress_configuration")
            && !has_block(network, "ingress_configuration")
        {
            base.set_attr("network_configuration", list(vec![]));
        }
    }
    let observability = first(remote, "observability_configuration");
    if observability.attr("observability_enabled").as_bool() != Some(true) {
        base.set_attr("observability_configuration", list(vec![]));
    } else if is_default_observability(observability.attr("observability_configuration_arn"))
        && let Some(o) = first_mut(&mut base, "observability_configuration")
    {
        o.set_attr("observability_configuration_arn", Value::Null);
    }
    if let Some(image) = first_mut(&mut base, "source_configuration")
        .and_then(|sc| first_mut(sc, "image_repository"))
        && is_default_image_configuration(first(image, "image_configuration"))
    {
        image.set_attr("image_configuration", list(vec![]));
    }
    base
}

pub(super) fn keep_if(out: &mut Value, base: &Value, name: &str, same: fn(&Value, &Value) -> bool) {
    let b = base.attr(name);
    if !b.is_null() && !b.is_unknown() && same(b, out.attr(name)) {
        out.set_attr(name, b.clone());
    }
}

/// Keeps `base`'s null or empty map when App Runner reports none.
pub(super) fn keep_empty_maps(out: &mut Value, base: &Value) {
    for name in [
        "runtime_environment_variables",
        "runtime_environment_secrets",
    ] {
        if is_empty_map(out.attr(name)) && is_empty_map(base.attr(name)) {
            out.set_attr(name, base.attr(name).clone());
        }
    }
}

/// An unset remote value stands for `default`; keep `base` then.
pub(super) fn keep_default(out: &mut Value, base: &Value, name: &str, default: &str) {
    if out.attr(name).is_null() && base.attr(name).as_str() == Some(default) {
        out.set_attr(name, base.attr(name).clone());
    }
}

pub(super) fn reconcile_source(base: &Value, out: &mut Value) {
    let base_sc = first(base, "source_configuration");
    let Some(sc) = first_mut(out, "source_configuration") else {
        return;
    };
    if sc.attr("auto_deployments_enabled").is_null() {
        sc.set_attr(
            "auto_deployments_enabled",
            base_sc.attr("auto_deployments_enabled").clone(),
        );
    }
    if let Some(image) = first_mut(sc, "image_repository") {
        let base_image = first(base_sc, "image_repository");
        let base_config = first(base_image, "image_configuration");
        if let Some(config) = first_mut(image, "image_configuration") {
            keep_default(config, base_config, "port", "8080");
            keep_empty_maps(config, base_config);
            if base_config.is_null() && is_default_image_configuration(config) {
                image.set_attr("image_configuration", list(vec![]));
            }
        }
    }
    if let Some(code) = first_mut(sc, "code_repository") {
        let base_code = first(base_sc, "code_repository");
        if code.attr("source_directory").is_null() {
            code.set_attr(
                "source_directory",
                base_code.attr("source_directory").clone(),
            );
        }
        let base_values = path(
            base_code,
            &["code_configuration", "code_configuration_values"],
        );
        if let Some(values) = first_mut(code, "code_configuration")
            .and_then(|c| first_mut(c, "code_configuration_values"))
        {
            keep_default(values, base_values, "port", "8080");
            keep_empty_maps(values, base_values);
        }
    }
}

pub(super) fn reconcile_network(base: &Value, out: &mut Value) {
    let base_network = first(base, "network_configuration");
    let Some(network) = first_mut(out, "network_configuration") else {
        return;
    };
    if is_default_egress(first(network, "egress_configuration"))
        && !has_block(base_network, "egress_configuration")
    {
        network.set_attr("egress_configuration", list(vec![]));
    }
    let base_ingress = first(base_network, "ingress_configuration");
    let public = is_public_ingress(first(network, "ingress_configuration"));
    if public && base_ingress.is_null() {
        network.set_attr("ingress_configuration", list(vec![]));
    } else if let Some(ingress) = first_mut(network, "ingress_configuration")
        && public
        && base_ingress.attr("is_publicly_accessible").is_null()
    {
        ingress.set_attr("is_publicly_accessible", Value::Null);
    }
}

/// `planned` with every unknown value taken from `known` (or null).
pub(super) fn fill_unknowns(planned: &Value, known: &Value) -> Value {
    match planned {
        Value::Unknown(_) => {
            if known.is_unknown() {
                Value::Null
            } else {
                known.clone()
            }
        }
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), fill_unknowns(v, known.attr(k))))
                .collect(),
        ),
        Value::List(items) => {
            let others = known.as_elements().unwrap_or_default();
            Value::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| fill_unknowns(x, others.get(i).unwrap_or(&Value::Null)))
                    .collect(),
            )
        }
        Value::Map(m) => {
            let others = known.as_entries();
            Value::Map(
                m.iter()
                    .map(|(k, v)| {
                        let other = others.and_then(|o| o.get(k)).unwrap_or(&Value::Null);
                        (k.clone(), fill_unknowns(v, other))
                    })
                    .collect(),
            )
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    fn with_block(name: &str, v: Value) -> Value {
        object(vec![(name, list(vec![v]))])
    }

    #[test]
    fn blocks_left_out_stay_out_unless_imported() {
        let remote = object(vec![
            (
                "instance_configuration",
                list(vec![object(vec![
                    ("cpu", "1024".into()),
                    ("memory", "2048".into()),
                ])]),
            ),
            (
                "observability_configuration",
                list(vec![object(vec![("observability_enabled", false.into())])]),
            ),
        ]);
        let base = object(vec![("instance_configuration", list(vec![]))]);
        let out = reconcile(&base, &remote);
        assert_eq!(out.attr("instance_configuration"), &list(vec![]));
        assert_eq!(out.attr("observability_configuration"), &list(vec![]));
        // An import leaves out blocks of defaults only, and keeps the others.
        let imported = reconcile(&import_base(&remote), &remote);
        assert_eq!(imported.attr("instance_configuration"), &list(vec![]));
        assert_eq!(imported.attr("observability_configuration"), &list(vec![]));
        let bigger = with_block(
            "instance_configuration",
            object(vec![("cpu", "2048".into()), ("memory", "4096".into())]),
        );
        let imported = reconcile(&import_base(&bigger), &bigger);
        assert_eq!(
            imported.attr("instance_configuration"),
            bigger.attr("instance_configuration")
        );
    }

    #[test]
    fn import_leaves_out_blocks_that_hold_only_defaults() {
        let remote = object(vec![
            (
                "health_check_configuration",
                list(vec![object(vec![
                    ("healthy_threshold", 1.into()),
                    ("interval", 5.into()),
                    ("path", "/".into()),
                    ("protocol", "TCP".into()),
                    ("timeout", 2.into()),
                    ("unhealthy_threshold", 5.into()),
                ])]),
            ),
            (
                "network_configuration",
                list(vec![object(vec![
                    ("ip_address_type", "DUAL_STACK".into()),
                    (
                        "egress_configuration",
                        list(vec![object(vec![
                            ("egress_type", "DEFAULT".into()),
                            ("vpc_connector_arn", Value::Null),
                        ])]),
                    ),
                    (
                        "ingress_configuration",
                        list(vec![object(vec![("is_publicly_accessible", true.into())])]),
                    ),
                ])]),
            ),
            (
                "observability_configuration",
                list(vec![object(vec![
                    ("observability_enabled", true.into()),
                    (
                        "observability_configuration_arn",
                        "arn:aws:apprunner:us-east-1:123456789012:observabilityconfiguration/DefaultConfiguration/1/01".into(),
                    ),
                ])]),
            ),
        ]);
        let imported = reconcile(&import_base(&remote), &remote);
        assert_eq!(imported.attr("health_check_configuration"), &list(vec![]));
        // Kept for its IP address type, without its default sub-blocks.
        assert_eq!(
            imported.attr("network_configuration"),
            &list(vec![object(vec![
                ("ip_address_type", "DUAL_STACK".into()),
                ("egress_configuration", list(vec![])),
                ("ingress_configuration", list(vec![])),
            ])])
        );
        // On with App Runner's own configuration: what an unset ARN means.
        assert_eq!(
            imported.attr("observability_configuration"),
            &list(vec![object(vec![
                ("observability_enabled", true.into()),
                ("observability_configuration_arn", Value::Null),
            ])])
        );
    }

    #[test]
    fn normalised_values_keep_the_configured_form() {
        let remote = with_block(
            "instance_configuration",
            object(vec![("cpu", "1024".into()), ("memory", "2048".into())]),
        );
        let base = with_block(
            "instance_configuration",
            object(vec![("cpu", "1 vCPU".into()), ("memory", "2 GB".into())]),
        );
        let out = reconcile(&base, &remote);
        assert_eq!(
            first(&out, "instance_configuration").attr("cpu"),
            &Value::from("1 vCPU")
        );
        assert_eq!(
            first(&out, "instance_configuration").attr("memory"),
            &Value::from("2 GB")
        );
    }

    #[test]
    fn default_observability_arn_reads_as_unset() {
        let remote = with_block(
            "observability_configuration",
            object(vec![
                ("observability_enabled", true.into()),
                (
                    "observability_configuration_arn",
                    "arn:aws:apprunner:us-east-1:123456789012:observabilityconfiguration/DefaultConfiguration/1/x".into(),
                ),
            ]),
        );
        let base = with_block(
            "observability_configuration",
            object(vec![("observability_enabled", true.into())]),
        );
        let out = reconcile(&base, &remote);
        assert_eq!(
            first(&out, "observability_configuration").attr("observability_configuration_arn"),
            &Value::Null
        );
    }

    #[test]
    fn unknowns_are_filled_from_what_is_known() {
        let planned = object(vec![
            ("arn", Value::unknown()),
            ("name", "x".into()),
            (
                "blocks",
                list(vec![object(vec![("computed", Value::unknown())])]),
            ),
        ]);
        let known = object(vec![
            ("arn", "arn:1".into()),
            ("name", "y".into()),
            ("blocks", list(vec![object(vec![("computed", "c".into())])])),
        ]);
        let out = fill_unknowns(&planned, &known);
        assert_eq!(out.attr("arn"), &Value::from("arn:1"));
        assert_eq!(out.attr("name"), &Value::from("x"));
        assert_eq!(first(&out, "blocks").attr("computed"), &Value::from("c"));
    }
}
