//! Turning AWS SDK errors into diagnostics that name the operation, the
//! resource and AWS's own message.

use aws_sdk_apprunner::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_types::error::display::DisplayErrorContext;

use crate::plugin::Diagnostic;

/// A diagnostic for a failed App Runner call.
pub fn api_error<E, R>(operation: &str, resource: &str, err: SdkError<E, R>) -> Diagnostic
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
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
    Diagnostic::error(
        format!("App Runner {operation} failed for {resource}"),
        detail,
    )
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
