# Import by region.
terraform import apprunner_default_auto_scaling_configuration_version.example us-west-2
