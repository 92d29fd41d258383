provider "apprunner" {
  region = "eu-west-1"

  # Optional: assume a role for every call.
  assume_role {
    role_arn     = "arn:aws:iam::123456789012:role/terraform"
    session_name = "terraform"
  }

  default_tags {
    tags = {
      team = "platform"
    }
  }

  ignore_tags {
    key_prefixes = ["cost:"]
  }
}
