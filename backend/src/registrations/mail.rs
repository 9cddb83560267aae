//! What a registrant is written when their registration moves — received, approved,
//! waitlisted, offered a seat, declined, cancelled — in their language (one of the four the
//! platform speaks; English otherwise), as text and HTML.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::seats::RegistrationStatus;
use crate::mail::{html, Email, SITE};
use crate::text::in_platform_language;

/// The words of one language.
struct Words {
    hello: &'static str,
    /// For each status: subject, what happened (`{conference}`, `{until}` filled in), and
    /// the link's label.
    statuses: [(&'static str, &'static str, &'static str); 6],
    signature: &'static str,
}

const EN: Words = Words {
    hello: "Hello {name},",
    statuses: [
        ("Registration received: {conference}", "We have received your registration for {conference}. The organisers review each registration; you will hear from us as soon as they decide.", "See your registration"),
        ("You are registered: {conference}", "Your registration for {conference} is confirmed. The agenda, the sessions and the networking are open to you.", "Enter the conference"),
        ("Waitlist: {conference}", "{conference} is full, so you are on its waitlist. When a seat frees up it is offered to the first person waiting, and we will write to you.", "See your place on the waitlist"),
        ("A seat is yours if you take it: {conference}", "A seat at {conference} has freed up and is offered to you until {until}. After that it passes to the next person waiting.", "Take the seat"),
        ("Registration declined: {conference}", "The organisers of {conference} have declined your registration. Write to them if you think this is a mistake.", "See your registration"),
        ("Registration cancelled: {conference}", "Your registration for {conference} is cancelled. You may register again while seats are left.", "Register again"),
    ],
    signature: "The Viaduc team, for the organisers",
};

const FR: Words = Words {
    hello: "Bonjour {name},",
    statuses: [
        ("Inscription reçue : {conference}", "Nous avons bien reçu votre inscription à {conference}. Les organisateurs examinent chaque inscription ; nous vous écrirons dès leur décision.", "Voir votre inscription"),
        ("Vous êtes inscrit·e : {conference}", "Votre inscription à {conference} est confirmée. L'agenda, les sessions et le networking vous sont ouverts.", "Entrer dans la conférence"),
        ("Liste d'attente : {conference}", "{conference} est complète : vous êtes sur sa liste d'attente. Quand une place se libère, elle est proposée à la première personne en attente, et nous vous écrirons.", "Voir votre place sur la liste d'attente"),
        ("Une place est à vous si vous la prenez : {conference}", "Une place s'est libérée à {conference} ; elle vous est proposée jusqu'au {until}. Ensuite, elle passe à la personne suivante.", "Prendre la place"),
        ("Inscription refusée : {conference}", "Les organisateurs de {conference} ont refusé votre inscription. Écrivez-leur si vous pensez qu'il s'agit d'une erreur.", "Voir votre inscription"),
        ("Inscription annulée : {conference}", "Votre inscription à {conference} est annulée. Vous pouvez vous réinscrire tant qu'il reste des places.", "Se réinscrire"),
    ],
    signature: "L'équipe Viaduc, pour les organisateurs",
};

const NL: Words = Words {
    hello: "Beste {name},",
    statuses: [
        ("Inschrijving ontvangen: {conference}", "We hebben uw inschrijving voor {conference} ontvangen. De organisatoren bekijken elke inschrijving; u hoort van ons zodra ze beslissen.", "Uw inschrijving bekijken"),
        ("U bent ingeschreven: {conference}", "Uw inschrijving voor {conference} is bevestigd. De agenda, de sessies en het netwerken staan voor u open.", "Naar de conferentie"),
        ("Wachtlijst: {conference}", "{conference} is volzet: u staat op de wachtlijst. Als er een plaats vrijkomt, wordt ze aangeboden aan de eerste die wacht, en we schrijven u.", "Uw plaats op de wachtlijst bekijken"),
        ("Een plaats is van u als u ze neemt: {conference}", "Er is een plaats vrijgekomen op {conference}; ze wordt u aangeboden tot {until}. Daarna gaat ze naar de volgende die wacht.", "Plaats nemen"),
        ("Inschrijving geweigerd: {conference}", "De organisatoren van {conference} hebben uw inschrijving geweigerd. Schrijf hen als u denkt dat dit een vergissing is.", "Uw inschrijving bekijken"),
        ("Inschrijving geannuleerd: {conference}", "Uw inschrijving voor {conference} is geannuleerd. U kunt opnieuw inschrijven zolang er plaatsen zijn.", "Opnieuw inschrijven"),
    ],
    signature: "Het Viaduc-team, voor de organisatoren",
};

const DE: Words = Words {
    hello: "Hallo {name},",
    statuses: [
        ("Anmeldung eingegangen: {conference}", "Wir haben Ihre Anmeldung zu {conference} erhalten. Die Veranstalter prüfen jede Anmeldung; Sie hören von uns, sobald sie entschieden haben.", "Ihre Anmeldung ansehen"),
        ("Sie sind angemeldet: {conference}", "Ihre Anmeldung zu {conference} ist bestätigt. Programm, Sitzungen und Networking stehen Ihnen offen.", "Zur Konferenz"),
        ("Warteliste: {conference}", "{conference} ist ausgebucht: Sie stehen auf der Warteliste. Wird ein Platz frei, wird er der ersten wartenden Person angeboten, und wir schreiben Ihnen.", "Ihren Platz auf der Warteliste ansehen"),
        ("Ein Platz gehört Ihnen, wenn Sie ihn annehmen: {conference}", "Bei {conference} ist ein Platz frei geworden; er wird Ihnen bis {until} angeboten. Danach geht er an die nächste wartende Person.", "Platz annehmen"),
        ("Anmeldung abgelehnt: {conference}", "Die Veranstalter von {conference} haben Ihre Anmeldung abgelehnt. Schreiben Sie ihnen, wenn Sie einen Irrtum vermuten.", "Ihre Anmeldung ansehen"),
        ("Anmeldung storniert: {conference}", "Ihre Anmeldung zu {conference} ist storniert. Solange Plätze frei sind, können Sie sich erneut anmelden.", "Erneut anmelden"),
    ],
    signature: "Das Viaduc-Team, für die Veranstalter",
};

/// The platform's language for e-mail closest to `language`: itself, or English.
pub fn mail_language(language: &str) -> &'static str {
    in_platform_language(Some(language), ["en", "fr", "nl", "de"])
}

fn words(language: &str) -> &'static Words {
    in_platform_language(Some(language), [&EN, &FR, &NL, &DE])
}

/// Everything the message about one registration's new status needs.
pub struct StatusMail<'a> {
    pub conference_id: uuid::Uuid,
    pub slug: &'a str,
    pub conference_title: &'a str,
    pub time_zone: Tz,
    pub to_email: &'a str,
    pub to_name: &'a str,
    pub language: &'a str,
    pub status: RegistrationStatus,
    pub offer_expires_at: Option<DateTime<Utc>>,
}

impl StatusMail<'_> {
    pub fn email(&self) -> Email {
        let words = words(self.language);
        let (template, index) = match self.status {
            RegistrationStatus::Pending => ("registration.pending", 0),
            RegistrationStatus::Approved => ("registration.approved", 1),
            RegistrationStatus::Waitlisted => ("registration.waitlisted", 2),
            RegistrationStatus::Offered => ("registration.offered", 3),
            RegistrationStatus::Rejected => ("registration.rejected", 4),
            RegistrationStatus::Cancelled => ("registration.cancelled", 5),
        };
        let (subject, body, action) = words.statuses[index];
        // The offer's end in the conference's time zone, which the page also shows.
        let until = self
            .offer_expires_at
            .map(|at| {
                at.with_timezone(&self.time_zone)
                    .format("%Y-%m-%d %H:%M (%Z)")
                    .to_string()
            })
            .unwrap_or_default();
        let fill = |text: &str| {
            text.replace("{conference}", self.conference_title)
                .replace("{until}", &until)
        };
        let hello = words.hello.replace("{name}", self.to_name);
        let path = match self.status {
            RegistrationStatus::Approved => format!("/c/{}", self.slug),
            _ => format!("/c/{}/register", self.slug),
        };
        let link = format!("{SITE}{path}");
        let text = format!(
            "{hello}\n\n{}\n\n{action}: {link}\n\n{}\n",
            fill(body),
            words.signature
        );
        let html_body = format!(
            "<p>{}</p>\n<p>{}</p>\n<p><a href=\"{link}\">{}</a></p>\n<p>{}</p>\n",
            html(&hello),
            html(&fill(body)),
            html(action),
            html(words.signature)
        );
        Email {
            conference_id: Some(self.conference_id),
            to_email: self.to_email.to_owned(),
            to_name: self.to_name.to_owned(),
            language: mail_language(self.language).to_owned(),
            template,
            subject: fill(subject),
            text,
            html: html_body,
        }
    }
}

/// The invitation of someone an organiser registered who had no account: they are
/// registered, and the link sets the password of the account made for them.
pub struct InvitationMail<'a> {
    pub conference_id: uuid::Uuid,
    pub conference_title: &'a str,
    pub to_email: &'a str,
    pub to_name: &'a str,
    pub language: &'a str,
    /// The link to set a password (`auth::reset::link`).
    pub link: &'a str,
}

/// The invitation's words: subject, text (`{conference}` filled in) and the link's label.
fn invitation_words(language: &str) -> (&'static str, &'static str, &'static str) {
    *in_platform_language(
        Some(language),
        [
            &(
                "You are registered: {conference}",
                "The organisers of {conference} have registered you and made you an account on Viaduc, the conference's platform. Choose your password to log in: the link works once, for two weeks.",
                "Choose my password",
            ),
            &(
                "Vous êtes inscrit·e : {conference}",
                "Les organisateurs de {conference} vous ont inscrit·e et vous ont créé un compte sur Viaduc, la plateforme de la conférence. Choisissez votre mot de passe pour vous connecter : le lien fonctionne une fois, pendant deux semaines.",
                "Choisir mon mot de passe",
            ),
            &(
                "U bent ingeschreven: {conference}",
                "De organisatoren van {conference} hebben u ingeschreven en een account voor u aangemaakt op Viaduc, het platform van de conferentie. Kies uw wachtwoord om in te loggen: de link werkt één keer, twee weken lang.",
                "Mijn wachtwoord kiezen",
            ),
            &(
                "Sie sind angemeldet: {conference}",
                "Die Veranstalter von {conference} haben Sie angemeldet und Ihnen ein Konto auf Viaduc, der Plattform der Konferenz, angelegt. Wählen Sie Ihr Passwort, um sich anzumelden: der Link funktioniert einmal, zwei Wochen lang.",
                "Mein Passwort wählen",
            ),
        ],
    )
}

impl InvitationMail<'_> {
    pub fn email(&self) -> Email {
        let words = words(self.language);
        let (subject, body, action) = invitation_words(self.language);
        let hello = words.hello.replace("{name}", self.to_name);
        let body = body.replace("{conference}", self.conference_title);
        Email {
            conference_id: Some(self.conference_id),
            to_email: self.to_email.to_owned(),
            to_name: self.to_name.to_owned(),
            language: mail_language(self.language).to_owned(),
            template: "registration.invitation",
            subject: subject.replace("{conference}", self.conference_title),
            text: format!(
                "{hello}\n\n{body}\n\n{action}: {}\n\n{}\n",
                self.link, words.signature
            ),
            html: format!(
                "<p>{}</p>\n<p>{}</p>\n<p><a href=\"{}\">{}</a></p>\n<p>{}</p>\n",
                html(&hello),
                html(&body),
                self.link,
                html(action),
                html(words.signature)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(language: &str, status: RegistrationStatus) -> Email {
        StatusMail {
            conference_id: uuid::Uuid::nil(),
            slug: "ecc",
            conference_title: "ECC <2026>",
            time_zone: chrono_tz::Europe::Brussels,
            to_email: "anna@cluster.eu",
            to_name: "Anna & co",
            language,
            status,
            offer_expires_at: Some(
                DateTime::parse_from_rfc3339("2026-12-01T09:00:00Z")
                    .unwrap()
                    .to_utc(),
            ),
        }
        .email()
    }

    #[test]
    fn each_language_words_each_status() {
        for words in [&EN, &FR, &NL, &DE] {
            for (subject, body, action) in words.statuses {
                assert!(subject.contains("{conference}") && body.contains("{conference}"));
                assert!(!action.is_empty());
            }
            assert!(words.statuses[3].1.contains("{until}"));
        }
    }

    #[test]
    fn an_offer_says_until_when_in_the_conference_time_and_links_to_the_form() {
        let email = mail("fr", RegistrationStatus::Offered);
        assert_eq!(
            email.subject,
            "Une place est à vous si vous la prenez : ECC <2026>"
        );
        assert!(email.text.starts_with("Bonjour Anna & co,"));
        assert!(
            email.text.contains("jusqu'au 2026-12-01 10:00 (CET)"),
            "{}",
            email.text
        );
        assert!(email.text.contains(&format!("{SITE}/c/ecc/register")));
        assert!(email.html.contains("ECC &lt;2026&gt;") && email.html.contains("Anna &amp; co"));
        assert_eq!(mail("pt", RegistrationStatus::Approved).language, "en");
    }
}
