//! What a person's roles allow them to administer: everything (a super administrator), or
//! the organizations they are an administrator of.

use tandem_protocol::{OrganizationId, Role, UserId, UserRole};

use super::super::db::{users, Pool};
use crate::error::{Error, Result};

/// A person's role grants.
pub struct Grants {
    roles: Vec<UserRole>,
}

impl Grants {
    /// Reads `user`'s grants.
    pub async fn of(db: &Pool, user: UserId) -> Result<Grants> {
        Ok(Grants { roles: users::roles(db, user).await? })
    }

    /// Whether they are a super administrator (a platform-wide grant).
    pub fn is_super_admin(&self) -> bool {
        self.roles.iter().any(|grant| grant.role == Role::SuperAdmin && grant.organization_id.is_none())
    }

    /// Whether they administer `organization` (as its administrator or a super administrator).
    pub fn administers(&self, organization: OrganizationId) -> bool {
        self.is_super_admin()
            || self.roles.iter().any(|grant| grant.role == Role::Admin && grant.organization_id == Some(organization))
    }

    /// Whether they administer any organization.
    pub fn administers_any(&self) -> bool {
        self.is_super_admin() || self.roles.iter().any(|grant| grant.role == Role::Admin)
    }

    /// 403 unless a super administrator, in the reference's words.
    pub fn require_super_admin(&self) -> Result<()> {
        if self.is_super_admin() {
            Ok(())
        } else {
            Err(Error::ForbiddenBecause("SuperAdmin access required".into()))
        }
    }

    /// 403 unless they administer `organization`, in the reference's words.
    pub fn require_admin_of(&self, organization: OrganizationId) -> Result<()> {
        if self.administers(organization) {
            Ok(())
        } else {
            Err(Error::ForbiddenBecause("You are not an administrator of the organization".into()))
        }
    }
}
