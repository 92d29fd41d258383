//! AWS-shaped API errors: the `__type` and HTTP status each error carries on
//! the wire, with the service's message.

use serde_json::json;

/// An error returned to a client as `{"__type": …, "Message": …}`.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub code: &'static str,
    pub status: u16,
    pub message: String,
}

impl ApiError {
    pub fn new(code: &'static str, status: u16, message: impl Into<String>) -> Self {
        ApiError {
            code,
            status,
            message: message.into(),
        }
    }
    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::new("InvalidRequestException", 400, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new("ResourceNotFoundException", 400, message)
    }
    pub fn invalid_state(message: impl Into<String>) -> Self {
        Self::new("InvalidStateException", 400, message)
    }
    /// App Runner documents HTTP 402 for this one.
    pub fn quota(message: impl Into<String>) -> Self {
        Self::new("ServiceQuotaExceededException", 402, message)
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new("InternalServiceErrorException", 500, message)
    }
    pub fn throttling() -> Self {
        Self::new("ThrottlingException", 400, "Rate exceeded")
    }
    pub fn serialization(message: impl Into<String>) -> Self {
        Self::new("SerializationException", 400, message)
    }
    pub fn unknown_operation(operation: &str) -> Self {
        Self::new(
            "UnknownOperationException",
            400,
            format!("The operation {operation} is not supported by AppRunner"),
        )
    }

    /// The JSON body sent to the client.
    pub fn body(&self) -> Vec<u8> {
        serde_json::to_vec(&json!({ "__type": self.code, "Message": self.message }))
            .expect("error body serialises")
    }
}
