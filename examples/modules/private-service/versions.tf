terraform {
  required_version = ">= 1.5"

  required_providers {
    apprunner = {
      source = "apprunner-community/apprunner"
    }
  }
}
