# The newest active revision of an observability configuration.
data "apprunner_observability_configuration" "tracing" {
  name = "tracing"
}

# Or one revision, by ARN.
data "apprunner_observability_configuration" "pinned" {
  arn = "arn:aws:apprunner:us-east-1:123456789012:observabilityconfiguration/tracing/1/0123456789abcdef0123456789abcdef"
}

output "tracing_vendor" {
  value = one(data.apprunner_observability_configuration.tracing.trace_configuration[*].vendor)
}
