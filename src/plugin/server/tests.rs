//! The service driven as Terraform drives it, against small test resources.

use super::*;
use crate::plugin::framework::{Applied, ApplyRequest, ListResource, Listed, Read, ReadRequest};
use crate::plugin::schema::{Attribute, Block};
use async_trait::async_trait;
use pb::provider_server::Provider as _;

/// Records the private data its delete receives (failing when told to),
/// can be listed, and generates `id = "configured"` when the provider is
/// configured.
struct Recorder {
    seen: Arc<Mutex<Vec<Vec<u8>>>>,
    fail: bool,
}

#[async_trait]
impl Resource<()> for Recorder {
    fn type_name(&self) -> &'static str {
        "test_thing"
    }
    fn schema(&self) -> Schema {
        Schema::new(Block::new().attribute(Attribute::string("id").optional().computed()))
    }
    async fn create(&self, _: &Ctx<()>, req: ApplyRequest) -> Applied {
        Applied::ok(req.planned)
    }
    async fn read(&self, _: &Ctx<()>, req: ReadRequest) -> Read {
        Read::found(req.state)
    }
    async fn update(&self, _: &Ctx<()>, req: ApplyRequest) -> Applied {
        Applied::ok(req.planned)
    }
    async fn delete(&self, _: &Ctx<()>, _: &Value, private: &[u8]) -> Diagnostics {
        self.seen.lock().unwrap().push(private.to_vec());
        if self.fail {
            Diagnostic::error("refused", "test").into()
        } else {
            Diagnostics::new()
        }
    }
    fn lister(&self) -> Option<&dyn ListResource<()>> {
        Some(self)
    }
    fn generate_config(&self, ctx: &PlanCtx<()>, _: &Value, _: &Schema) -> Value {
        let id = if ctx.provider().is_ok() {
            "configured"
        } else {
            "unconfigured"
        };
        Value::Object([("id".into(), id.into())].into())
    }
}

#[async_trait]
impl ListResource<()> for Recorder {
    fn config_schema(&self) -> Schema {
        Schema::new(
            Block::new().attribute(
                Attribute::string("status")
                    .optional()
                    .validate(crate::plugin::validators::one_of(&["ON", "OFF"])),
            ),
        )
    }
    async fn list(&self, _: &Ctx<()>, _: &Value, _: usize) -> Result<Vec<Listed>, Diagnostics> {
        Ok(Vec::new())
    }
}

struct OneResource(Arc<Mutex<Vec<Vec<u8>>>>, bool);

#[async_trait]
impl Provider for OneResource {
    type Data = ();
    fn schema(&self) -> Schema {
        Schema::default()
    }
    async fn configure(&self, _: &Value, _: &str) -> (Option<()>, Diagnostics) {
        (Some(()), Diagnostics::new())
    }
    fn resources(&self) -> Vec<Arc<dyn Resource<()>>> {
        vec![Arc::new(Recorder {
            seen: self.0.clone(),
            fail: self.1,
        })]
    }
    fn data_sources(&self) -> Vec<Arc<dyn DataSource<()>>> {
        Vec::new()
    }
}

/// Configures the provider, as Terraform does before anything but
/// validation and plans.
async fn configure(service: &ProviderService<OneResource>) {
    let empty = convert::encode(
        &Value::Object(Default::default()),
        &Schema::default().implied_type(),
    )
    .unwrap();
    service
        .configure_provider(Request::new(pb::configure_provider::Request {
            config: Some(empty),
            ..Default::default()
        }))
        .await
        .unwrap();
}

/// Plans and applies a destroy the way Terraform does: the destroy
/// plan's private data is what the apply receives.
async fn destroy(
    fail: bool,
    configured: bool,
) -> (Vec<Vec<u8>>, pb::apply_resource_change::Response) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let service = ProviderService::new(OneResource(seen.clone(), fail));
    if configured {
        configure(&service).await;
    }
    let ty = Type::object([("id", Type::String)]);
    let prior = convert::encode(&Value::Object([("id".into(), "x".into())].into()), &ty).unwrap();
    let null = convert::encode(&Value::Null, &ty).unwrap();
    let planned = service
        .plan_resource_change(Request::new(pb::plan_resource_change::Request {
            type_name: "test_thing".into(),
            prior_state: Some(prior.clone()),
            proposed_new_state: Some(null.clone()),
            config: Some(null.clone()),
            prior_private: b"kept".to_vec(),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(planned.planned_private, b"kept");
    let applied = service
        .apply_resource_change(Request::new(pb::apply_resource_change::Request {
            type_name: "test_thing".into(),
            prior_state: Some(prior),
            planned_state: Some(null.clone()),
            config: Some(null),
            planned_private: planned.planned_private,
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    let seen = seen.lock().unwrap().clone();
    (seen, applied)
}

#[tokio::test]
async fn generated_configuration_sees_the_configured_provider() {
    let service = ProviderService::new(OneResource(Arc::default(), false));
    let ty = Type::object([("id", Type::String)]);
    let state = convert::encode(&Value::Object([("id".into(), "x".into())].into()), &ty).unwrap();
    let generate = || async {
        let response = service
            .generate_resource_config(Request::new(pb::generate_resource_config::Request {
                type_name: "test_thing".into(),
                state: Some(state.clone()),
            }))
            .await
            .unwrap()
            .into_inner();
        assert!(
            response.diagnostics.is_empty(),
            "{:?}",
            response.diagnostics
        );
        convert::decode(response.config.as_ref(), &ty).unwrap()
    };
    assert_eq!(generate().await.attr("id"), &Value::from("unconfigured"));
    configure(&service).await;
    assert_eq!(generate().await.attr("id"), &Value::from("configured"));
}

#[tokio::test]
async fn list_config_diagnostics_point_into_the_config_block() {
    let service = ProviderService::new(OneResource(Arc::default(), false));
    let ty = Type::object([("status", Type::String)]);
    let config = convert::encode(
        &Value::Object([("status".into(), "BAD".into())].into()),
        &ty,
    )
    .unwrap();
    let response = service
        .validate_list_resource_config(Request::new(pb::validate_list_resource_config::Request {
            type_name: "test_thing".into(),
            config: Some(config),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(response.diagnostics.len(), 1, "{:?}", response.diagnostics);
    let at = response.diagnostics[0].attribute.clone().unwrap();
    let names: Vec<_> = at
        .steps
        .iter()
        .map(|s| match &s.selector {
            Some(pb::attribute_path::step::Selector::AttributeName(n)) => n.clone(),
            other => panic!("unexpected step {other:?}"),
        })
        .collect();
    assert_eq!(names, ["config", "status"]);
}

#[tokio::test]
async fn a_destroy_hands_the_private_data_to_delete() {
    let (seen, applied) = destroy(false, true).await;
    assert_eq!(seen, vec![b"kept".to_vec()]);
    assert!(applied.diagnostics.is_empty());
}

#[tokio::test]
async fn a_failed_delete_keeps_the_private_data() {
    let (seen, applied) = destroy(true, true).await;
    assert_eq!(seen, vec![b"kept".to_vec()]);
    assert_eq!(applied.private, b"kept");
    assert_eq!(applied.diagnostics.len(), 1);
}

#[tokio::test]
async fn an_unconfigured_provider_is_reported_and_nothing_is_forgotten() {
    let (seen, applied) = destroy(false, false).await;
    assert!(seen.is_empty(), "delete ran unconfigured");
    assert_eq!(applied.diagnostics.len(), 1, "{:?}", applied.diagnostics);
    assert_eq!(applied.diagnostics[0].summary, "Provider not configured");
    assert_eq!(applied.private, b"kept");
    let ty = Type::object([("id", Type::String)]);
    let state = convert::decode(applied.new_state.as_ref(), &ty).unwrap();
    assert_eq!(state.attr("id"), &Value::from("x"));

    let service = ProviderService::new(OneResource(Arc::default(), false));
    let prior = convert::encode(&Value::Object([("id".into(), "x".into())].into()), &ty).unwrap();
    let read = service
        .read_resource(Request::new(pb::read_resource::Request {
            type_name: "test_thing".into(),
            current_state: Some(prior),
            private: b"kept".to_vec(),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(read.diagnostics[0].summary, "Provider not configured");
    let state = convert::decode(read.new_state.as_ref(), &ty).unwrap();
    assert_eq!(state.attr("id"), &Value::from("x"));
    assert_eq!(read.private, b"kept");
}
