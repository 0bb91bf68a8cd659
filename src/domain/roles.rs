//! Who may do what, from a person's roles: SuperAdmin (no organization) manages every
//! organization; an Admin manages the members of their organization.

use tandem_protocol::{OrganizationId, Role, UserRole};

/// Whether the roles hold the platform-wide SuperAdmin (its `organization_id` is null).
pub fn is_super_admin(roles: &[UserRole]) -> bool {
    roles.iter().any(|r| r.role == Role::SuperAdmin && r.organization_id.is_none())
}

/// Whether the roles make their holder an Admin of `organization`.
pub fn is_admin_of(roles: &[UserRole], organization: OrganizationId) -> bool {
    roles.iter().any(|r| r.role == Role::Admin && r.organization_id == Some(organization))
}

/// Whether the holder may manage the members of `organization`.
pub fn manages_members(roles: &[UserRole], organization: OrganizationId) -> bool {
    is_super_admin(roles) || is_admin_of(roles, organization)
}

/// A member's role in `organization`, as its member list shows it: Admin or User.
pub fn member_role(roles: &[UserRole], organization: OrganizationId) -> Role {
    if is_admin_of(roles, organization) {
        Role::Admin
    } else {
        Role::User
    }
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;
    use tandem_protocol::{UserId, UserRoleId};
    use uuid::Uuid;

    use super::*;

    fn role(role: Role, organization: Option<u128>) -> UserRole {
        UserRole {
            id: UserRoleId(Uuid::from_u128(99)),
            role,
            organization_id: organization.map(|n| OrganizationId(Uuid::from_u128(n))),
            user_id: UserId(Uuid::from_u128(1)),
            created_at: DateTime::default(),
            updated_at: DateTime::default(),
        }
    }

    const ORG: OrganizationId = OrganizationId(Uuid::from_u128(7));
    const OTHER: OrganizationId = OrganizationId(Uuid::from_u128(8));

    #[test]
    fn an_admin_manages_their_own_organization_only() {
        let roles = [role(Role::Admin, Some(7)), role(Role::User, Some(8))];
        assert!(is_admin_of(&roles, ORG));
        assert!(manages_members(&roles, ORG));
        assert!(!manages_members(&roles, OTHER));
        assert!(!is_super_admin(&roles));
        assert_eq!(member_role(&roles, ORG), Role::Admin);
        assert_eq!(member_role(&roles, OTHER), Role::User);
    }

    #[test]
    fn a_super_admin_manages_every_organization_but_only_without_an_organization() {
        assert!(manages_members(&[role(Role::SuperAdmin, None)], OTHER));
        assert!(!is_super_admin(&[role(Role::SuperAdmin, Some(7))]), "a SuperAdmin role tied to an organization");
        assert!(!manages_members(&[role(Role::User, Some(7))], ORG));
        assert!(!manages_members(&[], ORG));
    }
}
