//! Turning AWS SDK errors into diagnostics that name the operation, the
//! resource and AWS's own message, with the HTTP status and AWS's request ID
//! (what AWS Support asks for) whenever App Runner answered.

use aws_sdk_apprunner::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_types::request_id::RequestId;

use crate::plugin::Diagnostic;

/// A diagnostic for a failed App Runner call.
pub fn api_error<E>(operation: &str, resource: &str, err: SdkError<E, HttpResponse>) -> Diagnostic
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let detail = match &err {
        SdkError::ServiceError(service) => {
            let e = service.err();
            match (e.code(), e.message()) {
                (Some(code), Some(message)) => format!("{code}: {message}"),
                (Some(code), None) => code.to_string(),
                _ => DisplayErrorContext(&err).to_string(),
            }
        }
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => {
            format!("could not reach App Runner: {}", DisplayErrorContext(&err))
        }
        _ => DisplayErrorContext(&err).to_string(),
    };
    let detail = match answered(&err) {
        Some(answer) => format!("{detail}\n\n{answer}"),
        None => detail,
    };
    Diagnostic::error(
        format!("App Runner {operation} failed for {resource}"),
        detail,
    )
}

/// "HTTP status 500, request ID …" when App Runner answered the call.
fn answered<E>(err: &SdkError<E, HttpResponse>) -> Option<String> {
    let status = err.raw_response()?.status().as_u16();
    Some(match err.request_id() {
        Some(id) => format!("HTTP status {status}, request ID {id}"),
        None => format!("HTTP status {status}, no request ID"),
    })
}

/// True when the error is App Runner's ResourceNotFoundException.
pub fn is_not_found<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>) -> bool {
    err.as_service_error().and_then(|e| e.code()) == Some("ResourceNotFoundException")
}

/// The error code AWS returned, if any.
pub fn code<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>) -> Option<String> {
    err.as_service_error()
        .and_then(|e| e.code())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_apprunner::operation::describe_service::DescribeServiceError;
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;
    use aws_smithy_types::error::ErrorMetadata;

    fn answer(status: u16, request_id: Option<&str>) -> HttpResponse {
        let mut response = HttpResponse::new(
            StatusCode::try_from(status).expect("valid status"),
            SdkBody::empty(),
        );
        if let Some(id) = request_id {
            response
                .headers_mut()
                .insert("x-amzn-RequestId", id.to_string());
        }
        response
    }

    fn service_error(code: &str, message: &str) -> DescribeServiceError {
        DescribeServiceError::generic(ErrorMetadata::builder().code(code).message(message).build())
    }

    #[test]
    fn an_answered_call_names_status_and_request_id() {
        let err = SdkError::service_error(
            service_error("InternalServiceErrorException", "try again"),
            answer(500, Some("0b1d2c3e-4f50-6172-8394-a5b6c7d8e9f0")),
        );
        let d = api_error("DescribeService", "arn:x", err);
        assert_eq!(d.summary, "App Runner DescribeService failed for arn:x");
        assert_eq!(
            d.detail,
            "InternalServiceErrorException: try again\n\n\
             HTTP status 500, request ID 0b1d2c3e-4f50-6172-8394-a5b6c7d8e9f0"
        );
    }

    #[test]
    fn an_answer_without_request_id_says_so() {
        let err = SdkError::service_error(
            service_error("ThrottlingException", "slow down"),
            answer(400, None),
        );
        let d = api_error("DescribeService", "arn:x", err);
        assert!(
            d.detail.ends_with("HTTP status 400, no request ID"),
            "{}",
            d.detail
        );
    }

    #[test]
    fn an_unanswered_call_has_neither() {
        let err: SdkError<DescribeServiceError, HttpResponse> =
            SdkError::timeout_error("no answer within 60s");
        let d = api_error("DescribeService", "arn:x", err);
        assert!(!d.detail.contains("HTTP status"), "{}", d.detail);
        assert!(!d.detail.contains("request ID"), "{}", d.detail);
    }
}
