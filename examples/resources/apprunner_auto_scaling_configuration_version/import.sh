# Import by the ARN of the revision.
terraform import apprunner_auto_scaling_configuration_version.example "arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration/example/3/0123456789abcdef0123456789abcdef"
