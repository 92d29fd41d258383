//! Connections to source code providers. They stay `PENDING_HANDSHAKE` until
//! someone completes the handshake, which only the admin endpoint can do here.

use serde::{Deserialize, Serialize};

use super::{ApiError, Ctx, Region, Res, check_quota, hex_id};

pub(crate) const MAX_CONNECTIONS: usize = 10;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Connection {
    pub arn: String,
    pub name: String,
    pub provider: String,
    pub status: String,
    pub created_at: i64,
}

impl Region {
    pub fn create_connection(
        &mut self,
        ctx: &Ctx,
        name: &str,
        provider: &str,
        tags: Vec<(String, String)>,
    ) -> Res<String> {
        if self.connections.iter().any(|c| c.name == name) {
            return Err(ApiError::invalid_request(format!(
                "A connection with the name {name} already exists"
            )));
        }
        check_quota(self.connections.len(), MAX_CONNECTIONS, "connections")?;
        let arn = self.arn(&format!("connection/{name}/{}", hex_id()));
        self.connections.push(Connection {
            arn: arn.clone(),
            name: name.into(),
            provider: provider.into(),
            status: "PENDING_HANDSHAKE".into(),
            created_at: ctx.now,
        });
        self.set_tags(&arn, tags);
        Ok(arn)
    }

    fn connection_index(&self, arn: &str) -> Res<usize> {
        (self.connections.iter().position(|c| c.arn == arn))
            .ok_or_else(|| ApiError::not_found(format!("Connection not found: {arn}")))
    }

    pub fn delete_connection(&mut self, arn: &str) -> Res<Connection> {
        let mut c = self.connections.remove(self.connection_index(arn)?);
        c.status = "DELETED".into();
        self.tags.remove(arn);
        Ok(c)
    }

    pub fn list_connections(&self, name: Option<&str>) -> Vec<Connection> {
        self.connections
            .iter()
            .filter(|c| name.is_none_or(|n| c.name == n))
            .cloned()
            .collect()
    }

    /// The test hook: the handshake a person would complete in the console.
    pub fn complete_handshake(&mut self, arn: &str) -> Res<Connection> {
        let i = self.connection_index(arn)?;
        let c = &mut self.connections[i];
        if c.status != "PENDING_HANDSHAKE" {
            return Err(ApiError::invalid_state(format!(
                "Connection {arn} is {}, not PENDING_HANDSHAKE",
                c.status
            )));
        }
        c.status = "AVAILABLE".into();
        Ok(c.clone())
    }
}
