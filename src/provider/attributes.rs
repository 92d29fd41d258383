//! Attributes that many types declare alike: the name of an App Runner
//! object, a regional, taggable resource named by its ARN, and what a data
//! source that looks an object up reports besides the object's own
//! attributes.

use crate::plugin::Attribute;
use crate::plugin::validators as v;

use super::{region, tags};

/// The attribute `attribute` holding the name of an App Runner object, with
/// the API model's rule for it: 4 to `max` characters matching `pattern`,
/// which `rule` describes. The caller says whether it is required.
pub fn name(attribute: &str, max: usize, pattern: &'static str, rule: &'static str) -> Attribute {
    Attribute::string(attribute)
        .validate(v::string_length(4, max))
        .validate(v::string_matches(pattern, rule))
}

/// `region`, `tags` and `tags_all`, then the computed `arn` (described as
/// `arn_description`) and `id`, the same as the attribute `id_same_as`.
pub fn regional_tagged(arn_description: &str, id_same_as: &str) -> [Attribute; 5] {
    [
        region::attribute(),
        tags::tags_attribute(),
        tags::tags_all_attribute(),
        Attribute::string("arn")
            .computed()
            .keep_prior()
            .description(arn_description),
        Attribute::string("id")
            .computed()
            .keep_prior()
            .description(format!("Same as `{id_same_as}`.")),
    ]
}

/// A lookup's `region` to look in, and its `id`, the same as the
/// attribute `id_same_as`.
pub fn lookup_region_and_id(id_same_as: &str) -> [Attribute; 2] {
    [
        Attribute::string("region")
            .optional()
            .computed()
            .description("Region to look in. Defaults to the ARN's region, else the provider's."),
        Attribute::string("id")
            .computed()
            .description(format!("Same as `{id_same_as}`.")),
    ]
}

/// The `tags` a lookup reports, of the object it calls `what`.
pub fn lookup_tags(what: &str) -> Attribute {
    Attribute::string_map("tags")
        .computed()
        .description(format!("Tags of the {what}."))
}
