//! Schemas: what Terraform sees (attributes, blocks, types) plus the
//! behaviour this framework attaches to them (defaults, validation,
//! replacement, value equivalence), declared in one place per attribute.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, OnceLock};

use super::diagnostics::{AttributePath, Diagnostics};
use super::value::{Type, Value};

/// The schema of a provider, resource or data source.
#[derive(Debug, Default)]
pub struct Schema {
    /// State schema version (see UpgradeResourceState).
    pub version: i64,
    pub block: Block,
    /// The implied type, fixed by [`Schema::fix_implied_type`] once the
    /// schema no longer changes; see [`Schema::implied_type_ref`].
    fixed_type: OnceLock<Type>,
}

/// A copy may be changed, so it does not keep the fixed type.
impl Clone for Schema {
    fn clone(&self) -> Self {
        Schema {
            version: self.version,
            block: self.block.clone(),
            fixed_type: OnceLock::new(),
        }
    }
}

impl Schema {
    pub fn new(block: Block) -> Self {
        Schema {
            version: 0,
            block,
            fixed_type: OnceLock::new(),
        }
    }

    /// Computes the implied type once and keeps it, for a schema that will
    /// not change any more (the server's, which it only lends out): code
    /// that runs per request then borrows it instead of rebuilding it, which
    /// for a large schema costs more than decoding a value.
    pub fn fix_implied_type(&self) -> &Type {
        self.fixed_type.get_or_init(|| self.block.implied_type())
    }

    /// The implied type: borrowed when fixed, else computed.
    pub fn implied_type_ref(&self) -> Cow<'_, Type> {
        match self.fixed_type.get() {
            Some(ty) => Cow::Borrowed(ty),
            None => Cow::Owned(self.block.implied_type()),
        }
    }

    pub fn version(mut self, version: i64) -> Self {
        self.version = version;
        self
    }

    /// The type of the whole object this schema describes.
    pub fn implied_type(&self) -> Type {
        self.block.implied_type()
    }
}

/// An object with attributes and nested blocks.
#[derive(Clone, Debug, Default)]
pub struct Block {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<NestedBlock>,
    pub description: String,
    pub deprecation: Option<String>,
}

impl Block {
    pub fn new() -> Self {
        Block::default()
    }

    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = text.into();
        self
    }

    pub fn attribute(mut self, attribute: Attribute) -> Self {
        self.attributes.push(attribute);
        self
    }

    pub fn attributes(mut self, attributes: impl IntoIterator<Item = Attribute>) -> Self {
        self.attributes.extend(attributes);
        self
    }

    pub fn block(mut self, block: NestedBlock) -> Self {
        self.blocks.push(block);
        self
    }

    pub fn deprecated(mut self, message: impl Into<String>) -> Self {
        self.deprecation = Some(message.into());
        self
    }

    pub fn get_attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    pub fn get_block(&self, name: &str) -> Option<&NestedBlock> {
        self.blocks.iter().find(|b| b.name == name)
    }

    /// The object type of values of this block.
    pub fn implied_type(&self) -> Type {
        let mut attrs = std::collections::BTreeMap::new();
        for a in &self.attributes {
            attrs.insert(a.name.clone(), a.ty.clone());
        }
        for b in &self.blocks {
            attrs.insert(b.name.clone(), b.implied_type());
        }
        Type::Object(attrs)
    }
}

/// How a nested block repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nesting {
    /// At most one, null when absent.
    Single,
    /// Exactly one object; all attributes null when absent.
    Group,
    List,
    Set,
    /// Keyed by the block's label.
    Map,
}

/// A block inside a block, e.g. `source_configuration { ... }`.
#[derive(Clone, Debug)]
pub struct NestedBlock {
    pub name: String,
    pub nesting: Nesting,
    pub block: Block,
    pub min_items: u64,
    pub max_items: u64,
    /// A change anywhere in this block replaces the resource.
    pub requires_replace: bool,
}

impl NestedBlock {
    pub fn new(name: &str, nesting: Nesting, block: Block) -> Self {
        NestedBlock {
            name: name.to_string(),
            nesting,
            block,
            min_items: 0,
            max_items: 0,
            requires_replace: false,
        }
    }

    pub fn single(name: &str, block: Block) -> Self {
        NestedBlock::new(name, Nesting::Single, block)
    }

    pub fn list(name: &str, block: Block) -> Self {
        NestedBlock::new(name, Nesting::List, block)
    }

    pub fn set(name: &str, block: Block) -> Self {
        NestedBlock::new(name, Nesting::Set, block)
    }

    pub fn min_items(mut self, n: u64) -> Self {
        self.min_items = n;
        self
    }

    pub fn max_items(mut self, n: u64) -> Self {
        self.max_items = n;
        self
    }

    pub fn requires_replace(mut self) -> Self {
        self.requires_replace = true;
        self
    }

    pub fn implied_type(&self) -> Type {
        let inner = self.block.implied_type();
        match self.nesting {
            Nesting::Single | Nesting::Group => inner,
            Nesting::List => Type::list(inner),
            Nesting::Set => Type::set(inner),
            Nesting::Map => Type::map(inner),
        }
    }
}

type CheckFn = dyn Fn(&Value) -> Result<(), String> + Send + Sync;

/// Checks a known, non-null value; returns a message for the user on failure.
#[derive(Clone)]
pub struct Validator {
    /// What the validator requires, e.g. "between 1 and 200".
    pub description: String,
    check: Arc<CheckFn>,
}

impl Validator {
    pub fn new(
        description: impl Into<String>,
        check: impl Fn(&Value) -> Result<(), String> + Send + Sync + 'static,
    ) -> Self {
        Validator {
            description: description.into(),
            check: Arc::new(check),
        }
    }

    pub fn check(&self, value: &Value) -> Result<(), String> {
        (self.check)(value)
    }
}

impl fmt::Debug for Validator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Validator({})", self.description)
    }
}

/// Decides whether two known values mean the same (e.g. `1 vCPU` and
/// `1024`); when they do, the plan keeps the prior representation.
pub type Equivalence = fn(&Value, &Value) -> bool;

/// One attribute: what Terraform sees, and how this framework treats it.
#[derive(Clone, Debug)]
pub struct Attribute {
    pub name: String,
    pub ty: Type,
    pub description: String,
    pub required: bool,
    pub optional: bool,
    pub computed: bool,
    pub sensitive: bool,
    pub write_only: bool,
    pub deprecation: Option<String>,
    /// Planned when the configuration leaves the attribute unset.
    pub default: Option<Value>,
    /// A change of this attribute replaces the resource.
    pub requires_replace: bool,
    /// A computed value that does not change once known: plans keep the
    /// prior value instead of marking it unknown (unless replacing).
    pub keep_prior: bool,
    pub validators: Vec<Validator>,
    pub equivalence: Option<Equivalence>,
}

impl Attribute {
    pub fn new(name: &str, ty: Type) -> Self {
        Attribute {
            name: name.to_string(),
            ty,
            description: String::new(),
            required: false,
            optional: false,
            computed: false,
            sensitive: false,
            write_only: false,
            deprecation: None,
            default: None,
            requires_replace: false,
            keep_prior: false,
            validators: Vec::new(),
            equivalence: None,
        }
    }

    pub fn string(name: &str) -> Self {
        Attribute::new(name, Type::String)
    }

    pub fn number(name: &str) -> Self {
        Attribute::new(name, Type::Number)
    }

    /// A whole number (a `number` that must be an integer).
    pub fn int(name: &str) -> Self {
        Attribute::new(name, Type::Number).validate(super::validators::whole_number())
    }

    pub fn bool(name: &str) -> Self {
        Attribute::new(name, Type::Bool)
    }

    pub fn string_map(name: &str) -> Self {
        Attribute::new(name, Type::map(Type::String))
    }

    pub fn string_set(name: &str) -> Self {
        Attribute::new(name, Type::set(Type::String))
    }

    pub fn string_list(name: &str) -> Self {
        Attribute::new(name, Type::list(Type::String))
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self.optional = false;
        self.computed = false;
        self
    }

    pub fn optional(mut self) -> Self {
        self.optional = true;
        self.required = false;
        self
    }

    pub fn computed(mut self) -> Self {
        self.computed = true;
        self.required = false;
        self
    }

    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }

    pub fn write_only(mut self) -> Self {
        self.write_only = true;
        self
    }

    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = text.into();
        self
    }

    pub fn deprecated(mut self, message: impl Into<String>) -> Self {
        self.deprecation = Some(message.into());
        self
    }

    /// A default value; makes the attribute optional and computed, as
    /// Terraform requires for a value the provider fills in.
    pub fn default(mut self, value: impl Into<Value>) -> Self {
        self.default = Some(value.into());
        self.optional = true;
        self.computed = true;
        self.required = false;
        self
    }

    pub fn requires_replace(mut self) -> Self {
        self.requires_replace = true;
        self
    }

    pub fn keep_prior(mut self) -> Self {
        self.keep_prior = true;
        self
    }

    pub fn validate(mut self, validator: Validator) -> Self {
        self.validators.push(validator);
        self
    }

    pub fn equivalence(mut self, equivalence: Equivalence) -> Self {
        self.equivalence = Some(equivalence);
        self
    }
}

/// The identity of a resource type (protocol 6.9): the attributes that name
/// a remote object, as Terraform stores them next to state.
#[derive(Clone, Debug, Default)]
pub struct IdentitySchema {
    pub version: i64,
    pub attributes: Vec<IdentityAttribute>,
}

#[derive(Clone, Debug)]
pub struct IdentityAttribute {
    pub name: String,
    pub ty: Type,
    pub description: String,
    pub required_for_import: bool,
}

impl IdentityAttribute {
    /// A string attribute that an import by identity must give.
    pub fn required(name: &str, description: &str) -> IdentityAttribute {
        IdentityAttribute {
            name: name.into(),
            ty: Type::String,
            description: description.into(),
            required_for_import: true,
        }
    }

    /// A string attribute that an import by identity may leave out.
    pub fn optional(name: &str, description: &str) -> IdentityAttribute {
        IdentityAttribute {
            required_for_import: false,
            ..IdentityAttribute::required(name, description)
        }
    }
}

impl IdentitySchema {
    /// Version 0 of an identity made of `attributes`.
    pub fn of(attributes: Vec<IdentityAttribute>) -> IdentitySchema {
        IdentitySchema {
            version: 0,
            attributes,
        }
    }

    /// The identity of a type whose objects an ARN names.
    pub fn arn(description: &str) -> IdentitySchema {
        IdentitySchema::of(vec![IdentityAttribute::required("arn", description)])
    }

    pub fn implied_type(&self) -> Type {
        Type::Object(
            self.attributes
                .iter()
                .map(|a| (a.name.clone(), a.ty.clone()))
                .collect(),
        )
    }
}

/// The parts of a block that validation looks at: the attributes with
/// validators or a deprecation, and the nested blocks holding any (as
/// indices into the block's lists). Computed once per schema, so that
/// validating a configuration visits only those parts of it.
#[derive(Debug, Default)]
pub struct Checks {
    attributes: Vec<usize>,
    blocks: Vec<(usize, Checks)>,
}

impl Checks {
    pub fn of(block: &Block) -> Checks {
        let attributes = (block.attributes.iter().enumerate())
            .filter(|(_, a)| !a.validators.is_empty() || a.deprecation.is_some())
            .map(|(i, _)| i)
            .collect();
        let blocks = (block.blocks.iter().enumerate())
            .map(|(i, nested)| (i, Checks::of(&nested.block)))
            .filter(|(_, checks)| !checks.is_empty())
            .collect();
        Checks { attributes, blocks }
    }

    fn is_empty(&self) -> bool {
        self.attributes.is_empty() && self.blocks.is_empty()
    }

    /// Runs the checks on the known parts of `config`, a value of `block`
    /// (the block these checks were computed from), reporting failures at
    /// their attribute paths.
    pub fn validate(
        &self,
        block: &Block,
        config: &Value,
        path: &AttributePath,
        diags: &mut Diagnostics,
    ) {
        self.walk(block, config, At::Start(path), diags);
    }

    fn walk(&self, block: &Block, config: &Value, at: At, diags: &mut Diagnostics) {
        if config.is_null() || config.is_unknown() {
            return;
        }
        for &i in &self.attributes {
            let attr = &block.attributes[i];
            let value = config.attr(&attr.name);
            if value.is_null() || value.is_unknown() {
                continue;
            }
            let path = || At::Attr(&at, &attr.name).path();
            if let Some(message) = &attr.deprecation {
                diags.push(
                    super::diagnostics::Diagnostic::warning(
                        "Deprecated attribute",
                        message.clone(),
                    )
                    .at(path()),
                );
            }
            for v in &attr.validators {
                if let Err(message) = v.check(value) {
                    diags.error_at(path(), format!("Invalid value for {}", attr.name), message);
                }
            }
        }
        for (i, checks) in &self.blocks {
            let nested = &block.blocks[*i];
            let value = config.attr(&nested.name);
            if value.is_null() || value.is_unknown() {
                continue;
            }
            let at = At::Attr(&at, &nested.name);
            match nested.nesting {
                Nesting::Single | Nesting::Group => checks.walk(&nested.block, value, at, diags),
                Nesting::List => {
                    for (i, element) in value.as_elements().unwrap_or_default().iter().enumerate() {
                        checks.walk(&nested.block, element, At::Index(&at, i), diags);
                    }
                }
                // Set elements have no stable address; point at the block.
                Nesting::Set => {
                    for element in value.as_elements().unwrap_or_default() {
                        checks.walk(&nested.block, element, at, diags);
                    }
                }
                Nesting::Map => {
                    for (k, element) in value.as_entries().into_iter().flatten() {
                        checks.walk(&nested.block, element, At::Key(&at, k), diags);
                    }
                }
            }
        }
    }
}

/// Where a validation walk is: made into an [`AttributePath`] only for a
/// diagnostic, as most configurations have none.
#[derive(Clone, Copy)]
enum At<'a> {
    Start(&'a AttributePath),
    Attr(&'a At<'a>, &'a str),
    Index(&'a At<'a>, usize),
    Key(&'a At<'a>, &'a str),
}

impl At<'_> {
    fn path(&self) -> AttributePath {
        match *self {
            At::Start(path) => path.clone(),
            At::Attr(up, name) => up.path().then_attr(name),
            At::Index(up, i) => up.path().then_index(i),
            At::Key(up, key) => up.path().then_key(key),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_implied_type_is_lent_and_not_copied() {
        let schema = Schema::new(Block::new().attribute(Attribute::string("name").required()));
        assert!(matches!(schema.implied_type_ref(), Cow::Owned(_)));
        let fixed = schema.fix_implied_type().clone();
        assert_eq!(fixed, schema.implied_type());
        assert!(matches!(schema.implied_type_ref(), Cow::Borrowed(t) if *t == fixed));
        // A copy may be changed before use, so it computes its own.
        let mut copy = schema.clone();
        copy.block = copy.block.attribute(Attribute::string("region").optional());
        assert_eq!(*copy.implied_type_ref(), copy.implied_type());
        assert_ne!(*copy.implied_type_ref(), fixed);
    }

    #[test]
    fn implied_type_includes_blocks() {
        let block = Block::new()
            .attribute(Attribute::string("name").required())
            .block(NestedBlock::list(
                "rule",
                Block::new().attribute(Attribute::number("n").optional()),
            ));
        assert_eq!(
            block.implied_type(),
            Type::object([
                ("name", Type::String),
                ("rule", Type::list(Type::object([("n", Type::Number)]))),
            ])
        );
    }

    fn obj(entries: Vec<(&str, Value)>) -> Value {
        Value::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    }

    fn short_name() -> Attribute {
        Attribute::string("name")
            .optional()
            .validate(super::super::validators::string_length(1, 3))
    }

    /// Each diagnostic as `severity path: summary`.
    fn found(block: &Block, config: &Value) -> Vec<String> {
        let mut diags = Diagnostics::new();
        Checks::of(block).validate(block, config, &AttributePath::attr("config"), &mut diags);
        diags
            .0
            .iter()
            .map(|d| {
                let path = d.path.as_ref().map(|p| p.to_string()).unwrap_or_default();
                format!("{:?} {path}: {}", d.severity, d.summary)
            })
            .collect()
    }

    #[test]
    fn checks_keep_only_blocks_with_something_to_check() {
        let block = Block::new()
            .attribute(Attribute::string("plain").optional())
            .attribute(short_name())
            .block(NestedBlock::list(
                "unchecked",
                Block::new().attribute(Attribute::string("x").optional()),
            ))
            .block(NestedBlock::single(
                "outer",
                Block::new().block(NestedBlock::set(
                    "inner",
                    Block::new().attribute(Attribute::string("old").deprecated("gone")),
                )),
            ));
        let checks = Checks::of(&block);
        assert_eq!(checks.attributes, vec![1]);
        assert_eq!(checks.blocks.len(), 1);
        let (i, outer) = &checks.blocks[0];
        assert_eq!(*i, 1);
        assert!(outer.attributes.is_empty());
        assert_eq!(outer.blocks[0].1.attributes, vec![0]);
        assert!(Checks::of(&Block::new().attribute(Attribute::string("a"))).is_empty());
    }

    #[test]
    fn validation_reports_at_each_nesting_path() {
        let inner = Block::new().attribute(short_name());
        let block = Block::new()
            .attribute(short_name())
            .attribute(Attribute::string("old").optional().deprecated("use new"))
            .block(NestedBlock::single("one", inner.clone()))
            .block(NestedBlock::list("many", inner.clone()))
            .block(NestedBlock::set("bag", inner.clone()))
            .block(NestedBlock::new("keyed", Nesting::Map, inner));
        let long = || obj(vec![("name", Value::from("toolong"))]);
        let fine = || obj(vec![("name", Value::from("ok"))]);
        let config = obj(vec![
            ("name", Value::from("abcd")),
            ("old", Value::from("x")),
            ("one", long()),
            ("many", Value::List(vec![fine(), long()])),
            ("bag", Value::Set(vec![long()])),
            (
                "keyed",
                Value::Map([("k".to_string(), long()), ("j".to_string(), fine())].into()),
            ),
        ]);
        assert_eq!(
            found(&block, &config),
            vec![
                "Error config.name: Invalid value for name",
                "Warning config.old: Deprecated attribute",
                "Error config.one.name: Invalid value for name",
                "Error config.many[1].name: Invalid value for name",
                "Error config.bag.name: Invalid value for name",
                "Error config.keyed[\"k\"].name: Invalid value for name",
            ]
        );
    }

    #[test]
    fn validation_skips_null_unknown_and_missing_values() {
        let block = Block::new()
            .attribute(short_name())
            .block(NestedBlock::single(
                "one",
                Block::new().attribute(short_name()),
            ))
            .block(NestedBlock::list(
                "many",
                Block::new().attribute(short_name()),
            ));
        assert!(found(&block, &Value::Null).is_empty());
        assert!(found(&block, &Value::unknown()).is_empty());
        assert!(found(&block, &obj(vec![])).is_empty());
        let config = obj(vec![
            ("name", Value::unknown()),
            ("one", Value::Null),
            ("many", Value::unknown()),
        ]);
        assert!(found(&block, &config).is_empty());
    }

    #[test]
    fn default_makes_optional_computed() {
        let a = Attribute::number("n").default(5);
        assert!(a.optional && a.computed && !a.required);
    }
}
