//! Demo data for an empty database: an organization with a coach, two coachees, and a few
//! past and upcoming sessions with actions, agreements, goals and notes, so a first run
//! has something to show; and a second organization where one coachee coaches the other.

/// Why seeding failed.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("cannot hash the demo password: {0}")]
    Hash(String),
}

/// The demo password printed in the README and by `make run`: anyone may know it.
pub const PUBLISHED_PASSWORD: &str = "tandem-demo";

/// One demo person.
pub struct DemoPerson {
    /// "coach" or "coachee": what they are in the demo relationships.
    pub role: &'static str,
    pub email: &'static str,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub timezone: &'static str,
}

impl DemoPerson {
    /// First and last name.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

/// The demo people: the coach first, then the two coachees.
pub const PEOPLE: [DemoPerson; 3] = [
    DemoPerson {
        role: "coach",
        email: "coach@tandem.demo",
        first_name: "Alex",
        last_name: "Morgan",
        timezone: "Europe/Berlin",
    },
    DemoPerson {
        role: "coachee",
        email: "sam@tandem.demo",
        first_name: "Sam",
        last_name: "Rivera",
        timezone: "America/New_York",
    },
    DemoPerson {
        role: "coachee",
        email: "jordan@tandem.demo",
        first_name: "Jordan",
        last_name: "Lee",
        timezone: "Europe/London",
    },
];
