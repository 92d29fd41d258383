//! Reconciling what App Runner reports with what Terraform holds: blocks
//! left to App Runner stay out of state, values App Runner normalises keep
//! the configured form, an import keeps only the blocks that differ from
//! App Runner's defaults, and unknown planned values are filled from what
//! is known after an apply.

use crate::plugin::Value;
use crate::plugin::model::Field;

use super::model::*;
use super::rules::{cpu_units, memory_mb};

/// The state for `remote` (from [`super::remote_state`]) given `base`, the
/// state or plan it refreshes (an import's is [`import_base`]): blocks
/// `base` leaves out stay out unless they differ from what leaving them out
/// means, and values App Runner normalises keep `base`'s representation.
pub(super) fn reconcile(base: &ServiceModel, remote: &ServiceModel) -> ServiceModel {
    let mut out = remote.clone();
    // Blocks that stay out of state when the configuration leaves them out.
    if !base.instance_configuration.present() {
        out.instance_configuration = no_block();
    }
    if !base.health_check_configuration.present() {
        out.health_check_configuration = no_block();
    }
    if !base.network_configuration.present() {
        out.network_configuration = no_block();
    }
    // Normalised values keep the configured form.
    if let (Some(b), Some(r)) = (
        base.auto_scaling_configuration_arn.as_deref(),
        remote.auto_scaling_configuration_arn.as_deref(),
    ) && r.starts_with(&format!("{b}/"))
    {
        out.auto_scaling_configuration_arn = base.auto_scaling_configuration_arn.clone();
    }
    if let Some(instance) = out.instance_configuration.one_mut() {
        let b = base.instance_configuration.one();
        keep_if_same(&mut instance.cpu, b.map(|b| &b.cpu), cpu_units);
        keep_if_same(&mut instance.memory, b.map(|b| &b.memory), memory_mb);
    }
    // Observability: absent and off are the same; the default configuration
    // is what an unset ARN means.
    let base_obs = base.observability_configuration.one();
    let remote_obs = remote
        .observability_configuration
        .one()
        .cloned()
        .unwrap_or_default();
    let enabled = remote_obs.observability_enabled == Field::Known(true);
    if !enabled && base_obs.is_none() {
        out.observability_configuration = no_block();
    } else {
        let arn = remote_obs.observability_configuration_arn;
        let arn = if base_obs.is_none_or(|o| o.observability_configuration_arn.is_null())
            && is_default_observability(&arn)
        {
            Field::Null
        } else {
            arn
        };
        out.observability_configuration = block(Some(ObservabilityConfiguration {
            observability_enabled: Field::Known(enabled),
            observability_configuration_arn: arn,
        }));
    }
    reconcile_source(base, &mut out);
    reconcile_network(base, &mut out);
    out
}

pub(super) fn is_default_observability(arn: &Field<String>) -> bool {
    arn.as_deref()
        .is_some_and(|a| a.contains(":observabilityconfiguration/DefaultConfiguration/"))
}

/// Whether the egress block `e` (`None`: absent) is the default egress.
pub(super) fn is_default_egress(e: Option<&EgressConfiguration>) -> bool {
    e.is_none_or(|e| {
        matches!(e.egress_type.as_deref(), None | Some("DEFAULT")) && e.vpc_connector_arn.is_null()
    })
}

/// Whether the ingress block `i` (`None`: absent) is the default: public.
pub(super) fn is_public_ingress(i: Option<&IngressConfiguration>) -> bool {
    i.and_then(|i| i.is_publicly_accessible.known().copied()) != Some(false)
}

/// Whether an image configuration (`None`: absent) holds only App
/// Runner's defaults.
pub(super) fn is_default_image_configuration(config: Option<&ImageConfiguration>) -> bool {
    config.is_none_or(|c| {
        c.start_command.is_null()
            && matches!(c.port.as_deref(), None | Some("8080"))
            && is_empty_map(&c.runtime_environment_variables)
            && is_empty_map(&c.runtime_environment_secrets)
    })
}

/// Whether two sizes are the same number of units (`1 vCPU` and `1024`).
fn same_size(a: &Field<String>, b: &str, units: fn(&str) -> Option<u32>) -> bool {
    matches!((a.as_deref().and_then(units), units(b)), (Some(x), Some(y)) if x == y)
}

/// The base an import reconciles `remote` with: the configuration that
/// writes out only what differs from App Runner's defaults. Every optional
/// block whose values are all defaults is left out (nested ones too), so
/// the imported state is the state a create with that configuration
/// leaves, and such a configuration plans no changes.
pub(super) fn import_base(remote: &ServiceModel) -> ServiceModel {
    let mut base = remote.clone();
    if let Some(instance) = remote.instance_configuration.one()
        && same_size(&instance.cpu, "1024", cpu_units)
        && same_size(&instance.memory, "2048", memory_mb)
        && instance.instance_role_arn.is_null()
    {
        base.instance_configuration = no_block();
    }
    fn is<T: PartialEq>(v: &Field<T>, default: T) -> bool {
        v.is_null() || *v == Field::Known(default)
    }
    if let Some(health) = remote.health_check_configuration.one()
        && is(&health.healthy_threshold, 1)
        && is(&health.interval, 5)
        && is(&health.path, "/".to_string())
        && is(&health.protocol, "TCP".to_string())
        && is(&health.timeout, 2)
        && is(&health.unhealthy_threshold, 5)
    {
        base.health_check_configuration = no_block();
    }
    if let Some(network) = base.network_configuration.one_mut() {
        if is_default_egress(network.egress_configuration.one()) {
            network.egress_configuration = no_block();
        }
        if is_public_ingress(network.ingress_configuration.one()) {
            network.ingress_configuration = no_block();
        }
        let ipv4 = matches!(network.ip_address_type.as_deref(), None | Some("IPV4"));
        if ipv4
            && !network.egress_configuration.present()
            && !network.ingress_configuration.present()
        {
            base.network_configuration = no_block();
        }
    }
    let observability = remote.observability_configuration.one();
    if observability.and_then(|o| o.observability_enabled.known().copied()) != Some(true) {
        base.observability_configuration = no_block();
    } else if observability
        .is_some_and(|o| is_default_observability(&o.observability_configuration_arn))
        && let Some(o) = base.observability_configuration.one_mut()
    {
        o.observability_configuration_arn = Field::Null;
    }
    if let Some(image) = base
        .source_configuration
        .one_mut()
        .and_then(|sc| sc.image_repository.one_mut())
        && is_default_image_configuration(image.image_configuration.one())
    {
        image.image_configuration = no_block();
    }
    base
}

/// Keeps `base`'s form of a size when it is the same size as `out`.
fn keep_if_same(
    out: &mut Field<String>,
    base: Option<&Field<String>>,
    units: fn(&str) -> Option<u32>,
) {
    if let Some(b) = base.and_then(|b| b.as_deref())
        && same_size(out, b, units)
    {
        *out = text(b);
    }
}

/// Where App Runner reports no port or no environment, keeps `base`'s
/// default port (`8080`) and its null or empty maps.
fn keep_unset_run_settings<S: RunSettings + Clone + Default>(out: &mut S, base: Option<&S>) {
    let mut base = base.cloned().unwrap_or_default();
    let port = out.port_mut();
    if port.is_null() && base.port_mut().as_deref() == Some("8080") {
        *port = text("8080");
    }
    for (out, base) in out.environment_mut().into_iter().zip(base.environment()) {
        if is_empty_map(out) && is_empty_map(base) {
            *out = base.clone();
        }
    }
}

/// Takes `base`'s value (null without a base) where App Runner reports none.
fn keep_base_if_null<T: Clone>(out: &mut Field<T>, base: Option<&Field<T>>) {
    if out.is_null() {
        *out = base.cloned().unwrap_or_default();
    }
}

fn reconcile_source(base: &ServiceModel, out: &mut ServiceModel) {
    let base_sc = base.source();
    let Some(sc) = out.source_configuration.one_mut() else {
        return;
    };
    keep_base_if_null(
        &mut sc.auto_deployments_enabled,
        base_sc.map(|b| &b.auto_deployments_enabled),
    );
    if let Some(image) = sc.image_repository.one_mut() {
        let base_config = base.image().and_then(|i| i.image_configuration.one());
        if let Some(config) = image.image_configuration.one_mut() {
            keep_unset_run_settings(config, base_config);
            if base_config.is_none() && is_default_image_configuration(Some(config)) {
                image.image_configuration = no_block();
            }
        }
    }
    if let Some(code) = sc.code_repository.one_mut() {
        keep_base_if_null(
            &mut code.source_directory,
            base.code().map(|b| &b.source_directory),
        );
        let base_values = base.code_values();
        if let Some(values) = code
            .code_configuration
            .one_mut()
            .and_then(|c| c.code_configuration_values.one_mut())
        {
            keep_unset_run_settings(values, base_values);
        }
    }
}

fn reconcile_network(base: &ServiceModel, out: &mut ServiceModel) {
    let base_network = base.network_configuration.one();
    let Some(network) = out.network_configuration.one_mut() else {
        return;
    };
    if is_default_egress(network.egress_configuration.one())
        && !base_network.is_some_and(|n| n.egress_configuration.present())
    {
        network.egress_configuration = no_block();
    }
    let base_ingress = base_network.and_then(|n| n.ingress_configuration.one());
    let public = is_public_ingress(network.ingress_configuration.one());
    if public && base_ingress.is_none() {
        network.ingress_configuration = no_block();
    } else if let Some(ingress) = network.ingress_configuration.one_mut()
        && public
        && base_ingress.is_none_or(|i| i.is_publicly_accessible.is_null())
    {
        ingress.is_publicly_accessible = Field::Null;
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

    fn instance(cpu: &str, memory: &str) -> Blocks<InstanceConfiguration> {
        block(Some(InstanceConfiguration {
            cpu: text(cpu),
            memory: text(memory),
            ..Default::default()
        }))
    }

    fn observability(enabled: bool, arn: Option<&str>) -> Blocks<ObservabilityConfiguration> {
        block(Some(ObservabilityConfiguration {
            observability_enabled: Field::Known(enabled),
            observability_configuration_arn: arn.into(),
        }))
    }

    const DEFAULT_OBSERVABILITY: &str = "arn:aws:apprunner:us-east-1:123456789012:observabilityconfiguration/DefaultConfiguration/1/01";

    #[test]
    fn blocks_left_out_stay_out_unless_imported() {
        let remote = ServiceModel {
            instance_configuration: instance("1024", "2048"),
            observability_configuration: observability(false, None),
            ..Default::default()
        };
        let base = ServiceModel {
            instance_configuration: no_block(),
            ..Default::default()
        };
        let out = reconcile(&base, &remote);
        assert_eq!(out.instance_configuration, no_block());
        assert_eq!(out.observability_configuration, no_block());
        // An import leaves out blocks of defaults only, and keeps the others.
        let imported = reconcile(&import_base(&remote), &remote);
        assert_eq!(imported.instance_configuration, no_block());
        assert_eq!(imported.observability_configuration, no_block());
        let bigger = ServiceModel {
            instance_configuration: instance("2048", "4096"),
            ..Default::default()
        };
        let imported = reconcile(&import_base(&bigger), &bigger);
        assert_eq!(
            imported.instance_configuration,
            bigger.instance_configuration
        );
    }

    #[test]
    fn import_leaves_out_blocks_that_hold_only_defaults() {
        let remote = ServiceModel {
            health_check_configuration: block(Some(HealthCheckConfiguration {
                healthy_threshold: Field::Known(1),
                interval: Field::Known(5),
                path: text("/"),
                protocol: text("TCP"),
                timeout: Field::Known(2),
                unhealthy_threshold: Field::Known(5),
            })),
            network_configuration: block(Some(NetworkConfiguration {
                ip_address_type: text("DUAL_STACK"),
                egress_configuration: block(Some(EgressConfiguration {
                    egress_type: text("DEFAULT"),
                    vpc_connector_arn: Field::Null,
                })),
                ingress_configuration: block(Some(IngressConfiguration {
                    is_publicly_accessible: Field::Known(true),
                })),
            })),
            observability_configuration: observability(true, Some(DEFAULT_OBSERVABILITY)),
            ..Default::default()
        };
        let imported = reconcile(&import_base(&remote), &remote);
        assert_eq!(imported.health_check_configuration, no_block());
        // Kept for its IP address type, without its default sub-blocks.
        assert_eq!(
            imported.network_configuration,
            block(Some(NetworkConfiguration {
                ip_address_type: text("DUAL_STACK"),
                egress_configuration: no_block(),
                ingress_configuration: no_block(),
            }))
        );
        // On with App Runner's own configuration: what an unset ARN means.
        assert_eq!(
            imported.observability_configuration,
            observability(true, None)
        );
    }

    #[test]
    fn normalised_values_keep_the_configured_form() {
        let remote = ServiceModel {
            instance_configuration: instance("1024", "2048"),
            ..Default::default()
        };
        let base = ServiceModel {
            instance_configuration: instance("1 vCPU", "2 GB"),
            ..Default::default()
        };
        let out = reconcile(&base, &remote);
        assert_eq!(out.instance_configuration, base.instance_configuration);
    }

    #[test]
    fn default_observability_arn_reads_as_unset() {
        let remote = ServiceModel {
            observability_configuration: observability(true, Some(DEFAULT_OBSERVABILITY)),
            ..Default::default()
        };
        let base = ServiceModel {
            observability_configuration: observability(true, None),
            ..Default::default()
        };
        let out = reconcile(&base, &remote);
        assert_eq!(out.observability_configuration, observability(true, None));
    }

    #[test]
    fn unreported_port_and_environment_keep_the_configured_defaults() {
        let with_image = |config: ImageConfiguration| ServiceModel {
            source_configuration: block(Some(SourceConfiguration {
                image_repository: block(Some(ImageRepository {
                    image_configuration: block(Some(config)),
                    ..Default::default()
                })),
                ..Default::default()
            })),
            ..Default::default()
        };
        let base = with_image(ImageConfiguration {
            port: text("8080"),
            start_command: text("run"),
            runtime_environment_variables: Field::Known(Default::default()),
            ..Default::default()
        });
        let remote = with_image(ImageConfiguration {
            start_command: text("run"),
            ..Default::default()
        });
        assert_eq!(
            reconcile(&base, &remote).source_configuration,
            base.source_configuration
        );
    }

    #[test]
    fn unknowns_are_filled_from_what_is_known() {
        let object = |entries: Vec<(&str, Value)>| {
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
            )
        };
        let planned = object(vec![
            ("arn", Value::unknown()),
            ("name", "x".into()),
            (
                "blocks",
                Value::List(vec![object(vec![("computed", Value::unknown())])]),
            ),
        ]);
        let known = object(vec![
            ("arn", "arn:1".into()),
            ("name", "y".into()),
            (
                "blocks",
                Value::List(vec![object(vec![("computed", "c".into())])]),
            ),
        ]);
        let expected = object(vec![
            ("arn", "arn:1".into()),
            ("name", "x".into()),
            (
                "blocks",
                Value::List(vec![object(vec![("computed", "c".into())])]),
            ),
        ]);
        assert_eq!(fill_unknowns(&planned, &known), expected);
    }
}
