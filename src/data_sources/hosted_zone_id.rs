//! `apprunner_hosted_zone_id`: the Route 53 hosted zone ID of App Runner's
//! service domains in a region, for alias records that point a custom
//! domain at a service, as `aws_apprunner_hosted_zone_id`.
//!
//! The IDs are fixed per region (AWS General Reference, "AWS App Runner
//! endpoints and quotas"); no API call is made. A region App Runner does not
//! serve is an error that lists those it does.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::plugin::model;
use crate::plugin::schema::Validator;
use crate::plugin::{
    Attribute, Block, DataSource, Diagnostic, Diagnostics, PlanCtx, Schema, Value,
};
use crate::provider::AppRunner;

pub struct HostedZoneId;

/// The data source's attributes: the region asked for (or the provider's)
/// and its hosted zone ID.
#[derive(Serialize, Deserialize)]
struct HostedZoneModel {
    region: Option<String>,
    id: Option<String>,
}

/// Route 53 hosted zone ID of App Runner in each region it serves, from
/// https://docs.aws.amazon.com/general/latest/gr/apprunner.html.
pub const HOSTED_ZONE_IDS: &[(&str, &str)] = &[
    ("us-east-2", "Z0224347AD7KVHMLOX31"),
    ("us-east-1", "Z01915732ZBZKC8D32TPT"),
    ("us-west-2", "Z02243383FTQ64HJ5772Q"),
    ("ap-south-1", "Z00855883LBHKTIC4ODF2"),
    ("ap-southeast-1", "Z09819469CZ3KQ8PWMCL"),
    ("ap-southeast-2", "Z03657752RA8799S0TI5I"),
    ("ap-northeast-1", "Z08491812XW6IPYLR6CCA"),
    ("eu-central-1", "Z0334911C2FDI2Q9M4FZ"),
    ("eu-west-1", "Z087551914Z2PCAU0QHMW"),
    ("eu-west-2", "Z098228427VC6B3IX76ON"),
    ("eu-west-3", "Z087117439MBKHYM69QS6"),
];

/// The hosted zone ID of App Runner in `region`, if App Runner serves it.
pub fn hosted_zone_id(region: &str) -> Option<&'static str> {
    HOSTED_ZONE_IDS
        .iter()
        .find(|(r, _)| *r == region)
        .map(|(_, id)| *id)
}

fn unsupported(region: &str) -> String {
    let served: Vec<&str> = HOSTED_ZONE_IDS.iter().map(|(r, _)| *r).collect();
    format!(
        "App Runner does not serve region {region:?}, so it has no hosted zone there. App Runner serves: {}.",
        served.join(", ")
    )
}

fn schema() -> Schema {
    Schema::new(
        Block::new()
            .description("The Route 53 hosted zone ID of App Runner service domains in a region, for alias records pointing at a service's `dns_target`.")
            .attribute(
                Attribute::string("region")
                    .optional()
                    .computed()
                    .validate(Validator::new("a region App Runner serves", |v| match v.as_str() {
                        Some(r) if hosted_zone_id(r).is_none() => Err(unsupported(r)),
                        _ => Ok(()),
                    }))
                    .description("Region of the services. Defaults to the provider's region."),
            )
            .attribute(Attribute::string("id").computed().description("The Route 53 hosted zone ID.")),
    )
}

#[async_trait]
impl DataSource<AppRunner> for HostedZoneId {
    fn type_name(&self) -> &'static str {
        "apprunner_hosted_zone_id"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn read(&self, ctx: &PlanCtx<AppRunner>, config: Value) -> Result<Value, Diagnostics> {
        let asked: HostedZoneModel = model::from_value(&config)?;
        let region = match asked.region {
            Some(r) => r,
            None => ctx.provider()?.region.clone(),
        };
        let Some(id) = hosted_zone_id(&region) else {
            return Err(Diagnostic::error("Unsupported region", unsupported(&region)).into());
        };
        let found = HostedZoneModel {
            region: Some(region),
            id: Some(id.to_string()),
        };
        Ok(model::to_value(&found, &schema().implied_type())?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_served_region_has_one_id() {
        assert_eq!(HOSTED_ZONE_IDS.len(), 11);
        for (region, id) in HOSTED_ZONE_IDS {
            assert_eq!(hosted_zone_id(region), Some(*id));
            assert!(id.starts_with('Z') && id.len() >= 20, "{region}: {id}");
        }
        assert_eq!(hosted_zone_id("ca-central-1"), None);
    }
}
