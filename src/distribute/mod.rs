//! Sending each commune its own documents: one message per commune of
//! `contacts*.csv`, with the commune's key figures in French and its
//! workbook and PDF attached. By default the messages are only written to
//! `reports/<T>/outbox/` for review; with `--smtp` they are sent through
//! the `[envoi]` settings, and `reports/<T>/envoi.json` records what went to
//! whom and when, so that a rerun sends only what was not sent.

mod message;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::{Address, SmtpTransport, Transport};
use serde::{Deserialize, Serialize};

use crate::error::{Erreur, Probleme, Resultat};
use crate::ingest::entetes::Colonne;
use crate::ingest::valeurs::texte;
use crate::ingest::{lire_tables, signaler};
use crate::model::colonnes::LIGNE;
use crate::pipeline::Journal;
use crate::render::communes::nom_de_fichier;
use crate::settings::Settings;

pub use message::construire;

pub const COLONNES_CONTACTS: [Colonne; 3] = [
    Colonne::obligatoire(
        "code_commune",
        &["insee_com", "codgeo", "code_insee", "depcom"],
    ),
    Colonne::facultative("nom_commune", &["lib_com", "libgeo", "commune"]),
    Colonne::obligatoire(
        "email",
        &["courriel", "mail", "adresse_electronique", "adresse_mail"],
    ),
];

/// What the command line asks of `send`.
#[derive(Debug, Clone, Copy)]
pub struct OptionsEnvoi {
    pub smtp: bool,
    pub simulation: bool,
}

/// `[envoi]` of `conseil.toml`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ReglagesEnvoi {
    pub expediteur: Option<String>,
    pub smtp_hote: Option<String>,
    pub smtp_port: Option<u16>,
    pub smtp_securite: Option<String>,
    /// Copy of every message (the service's own address, for its records).
    pub copie: Option<String>,
}

/// One line of `envoi.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Envoi {
    pub code_commune: String,
    pub destinataires: Vec<String>,
    pub pieces_jointes: Vec<String>,
    pub message_id: String,
    /// `envoye` or `echec`.
    pub etat: String,
    /// When (UTC, RFC 3339).
    pub date: String,
    pub erreur: Option<String>,
}

/// A commune to write to: its addresses and its documents.
pub struct Destinataire {
    pub code: String,
    pub nom: String,
    pub adresses: Vec<Address>,
    pub fichiers: Vec<PathBuf>,
}

/// A commune's contact: its name if given, its addresses.
type Contact = (Option<String>, Vec<Address>);

/// Contacts, by commune code. Every address is checked before anything is
/// sent.
fn lire_contacts(fichiers: &[PathBuf]) -> Resultat<BTreeMap<String, Contact>> {
    if fichiers.is_empty() {
        return Err(Erreur::Donnees(vec![Probleme::new(
            Path::new("contacts*.csv"),
            "aucun fichier de contacts à côté de conseil.toml",
        )
        .attendu("un fichier contacts*.csv : code_commune;nom_commune;email")]));
    }
    let (tables, mut problemes) = lire_tables(fichiers, &COLONNES_CONTACTS)?;
    let mut contacts: BTreeMap<String, Contact> = BTreeMap::new();
    for t in &tables {
        problemes.extend(signaler(
            t,
            texte("code_commune").is_null(),
            "code_commune",
            "code commune vide",
            "un code INSEE (92004)",
        )?);
        let codes = t.frame.column("code_commune")?.str()?;
        let emails = t.frame.column("email")?.str()?;
        let lignes = t.frame.column(LIGNE)?.u32()?;
        let noms = if t.a("nom_commune") {
            Some(t.frame.column("nom_commune")?.str()?.clone())
        } else {
            None
        };
        for i in 0..t.frame.height() {
            let (Some(code), Some(email)) =
                (codes.get(i).map(str::trim), emails.get(i).map(str::trim))
            else {
                continue;
            };
            if code.is_empty() {
                continue;
            }
            match email.parse::<Address>() {
                Ok(a) => {
                    let entree = contacts.entry(code.to_string()).or_default();
                    if entree.0.is_none() {
                        entree.0 = noms
                            .as_ref()
                            .and_then(|n| n.get(i))
                            .map(|n| n.trim().to_string());
                    }
                    if !entree.1.contains(&a) {
                        entree.1.push(a);
                    }
                }
                Err(_) => problemes.push(
                    Probleme::new(&t.fichier, "adresse électronique invalide")
                        .ligne(lignes.get(i).unwrap_or(0) as usize)
                        .colonne(t.position("email"))
                        .attendu("une adresse de la forme nom@domaine.fr")
                        .trouve(email),
                ),
            }
        }
    }
    if problemes.is_empty() {
        Ok(contacts)
    } else {
        Err(Erreur::Donnees(problemes))
    }
}

fn reglage_invalide(settings: &Settings, message: String, attendu: &str) -> Erreur {
    Erreur::configuration(Probleme::new(&settings.fichier_config, message).attendu(attendu))
}

fn adresse(settings: &Settings, cle: &str, valeur: &str) -> Resultat<Address> {
    valeur.trim().parse::<Address>().map_err(|_| {
        Erreur::configuration(
            Probleme::new(
                &settings.fichier_config,
                format!("adresse [envoi] {cle} invalide"),
            )
            .attendu("une adresse de la forme nom@domaine.fr")
            .trouve(valeur),
        )
    })
}

/// The SMTP transport of `[envoi]`; user and password from the
/// environment, never from the settings file.
fn transport(settings: &Settings, r: &ReglagesEnvoi) -> Resultat<SmtpTransport> {
    let hote = r.smtp_hote.as_deref().ok_or_else(|| {
        reglage_invalide(
            settings,
            "clé [envoi] smtp_hote absente".to_string(),
            "smtp_hote = \"smtp.example.gouv.fr\" pour envoyer avec --smtp",
        )
    })?;
    let securite = r.smtp_securite.as_deref().unwrap_or("starttls");
    let constructeur = match securite {
        "aucune" => SmtpTransport::builder_dangerous(hote),
        "starttls" => SmtpTransport::starttls_relay(hote).map_err(|e| {
            reglage_invalide(
                settings,
                format!("serveur SMTP {hote} : {e}"),
                "un nom d'hôte valide",
            )
        })?,
        "tls" => SmtpTransport::relay(hote).map_err(|e| {
            reglage_invalide(
                settings,
                format!("serveur SMTP {hote} : {e}"),
                "un nom d'hôte valide",
            )
        })?,
        autre => {
            return Err(Erreur::configuration(
                Probleme::new(
                    &settings.fichier_config,
                    "valeur [envoi] smtp_securite inconnue",
                )
                .attendu("aucune, starttls ou tls")
                .trouve(autre),
            ))
        }
    };
    let mut constructeur = constructeur.timeout(Some(Duration::from_secs(30)));
    if let Some(port) = r.smtp_port {
        constructeur = constructeur.port(port);
    }
    if let (Ok(u), Ok(p)) = (
        std::env::var("QPV_SMTP_UTILISATEUR"),
        std::env::var("QPV_SMTP_MOT_DE_PASSE"),
    ) {
        constructeur = constructeur.credentials(Credentials::new(u, p));
    }
    Ok(constructeur.build())
}

fn lire_journal(chemin: &Path) -> Resultat<Vec<Envoi>> {
    if !chemin.exists() {
        return Ok(Vec::new());
    }
    let texte = std::fs::read_to_string(chemin).map_err(Erreur::io(chemin, "lecture"))?;
    serde_json::from_str(&texte).map_err(|e| {
        Erreur::Donnees(vec![
            Probleme::new(chemin, "journal d'envoi illisible").trouve(e.to_string())
        ])
    })
}

fn ecrire_journal(chemin: &Path, journal: &[Envoi]) -> Resultat<()> {
    let mut texte = serde_json::to_string_pretty(journal).map_err(|e| Erreur::Interne {
        contexte: "envoi.json",
        message: e.to_string(),
    })?;
    texte.push('\n');
    // Written beside, then renamed: a crash never leaves half a journal.
    let provisoire = chemin.with_extension("json.en-cours");
    std::fs::write(&provisoire, texte).map_err(Erreur::io(&provisoire, "écriture"))?;
    std::fs::rename(&provisoire, chemin).map_err(Erreur::io(chemin, "écriture"))
}

/// Now, for the journal: when a message was sent is a fact of the world.
fn maintenant() -> String {
    let secondes = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (jours, reste) = (secondes / 86_400, secondes % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = jours as i64 + 719_468;
    let ere = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let jour = doy - (153 * mp + 2) / 5 + 1;
    let mois = if mp < 10 { mp + 3 } else { mp - 9 };
    let annee = yoe + ere * 400 + i64::from(mois <= 2);
    format!(
        "{annee:04}-{mois:02}-{jour:02}T{:02}:{:02}:{:02}Z",
        reste / 3600,
        reste % 3600 / 60,
        reste % 60
    )
}

/// Builds, writes for review and (with `--smtp`) sends every commune's
/// message; returns an error when a delivery failed (it will be retried).
pub fn envoyer(settings: &Settings, options: OptionsEnvoi, journal: &Journal) -> Resultat<()> {
    let rapport = settings
        .dossier_rapports
        .join(settings.conseil.periode.to_string());
    if !rapport.join("communes").is_dir() {
        return Err(Erreur::Usage(format!(
            "aucun rapport dans {} : lancez d'abord « qpv-annexe run »",
            rapport.display()
        )));
    }
    let reglages = settings.envoi.clone().unwrap_or_default();
    let expediteur = reglages.expediteur.as_deref().ok_or_else(|| {
        reglage_invalide(
            settings,
            "clé [envoi] expediteur absente".to_string(),
            "expediteur = \"politique-ville@example.gouv.fr\"",
        )
    })?;
    let expediteur = adresse(settings, "expediteur", expediteur)?;
    let copie = reglages
        .copie
        .as_deref()
        .map(|c| adresse(settings, "copie", c))
        .transpose()?;
    let contacts = lire_contacts(&settings.entrees.contacts)?;

    // The communes that have documents in the report.
    let mut destinataires = Vec::new();
    let mut documents: Vec<(String, PathBuf)> = std::fs::read_dir(rapport.join("communes"))
        .map_err(Erreur::io(&rapport, "lecture du dossier"))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "xlsx"))
        .filter_map(|p| Some((p.file_name()?.to_str()?.get(..5)?.to_string(), p)))
        .collect();
    documents.sort();
    for (code, classeur) in documents {
        let Some((nom, adresses)) = contacts.get(&code) else {
            journal.avertissement(&Probleme::new(
                &classeur,
                format!("commune {code} sans contact dans contacts*.csv : rien ne lui est envoyé"),
            ));
            continue;
        };
        let nom = nom.clone().unwrap_or_else(|| code.clone());
        let pdf = classeur.with_extension("pdf");
        destinataires.push(Destinataire {
            code,
            nom,
            adresses: adresses.clone(),
            fichiers: vec![classeur, pdf],
        });
    }

    let chemin_journal = rapport.join("envoi.json");
    let mut deja = lire_journal(&chemin_journal)?;
    let figures = message::Chiffres::lire(&rapport.join("indicateurs.csv"))?;
    let boite = rapport.join("outbox");
    let transport = if options.smtp && !options.simulation {
        Some(transport(settings, &reglages)?)
    } else {
        None
    };
    if !options.simulation {
        std::fs::create_dir_all(&boite).map_err(Erreur::io(&boite, "création du dossier"))?;
    }
    let (mut envoyes, mut echecs) = (0, 0);
    for d in &destinataires {
        let message = construire(settings, d, &expediteur, copie.as_ref(), &figures)?;
        let nom_eml = format!("{}.eml", nom_de_fichier(&d.code, &d.nom));
        let deja_envoye = deja
            .iter()
            .any(|e| e.code_commune == d.code && e.etat == "envoye");
        let adresses: Vec<String> = d.adresses.iter().map(|a| a.to_string()).collect();
        if options.simulation {
            journal.info(format!(
                "{} {} → {} ({})",
                if deja_envoye {
                    "déjà envoyé :"
                } else if options.smtp {
                    "serait envoyé :"
                } else {
                    "serait écrit :"
                },
                d.nom,
                adresses.join(", "),
                nom_eml
            ));
            continue;
        }
        let eml = boite.join(&nom_eml);
        std::fs::write(&eml, message.message.formatted()).map_err(Erreur::io(&eml, "écriture"))?;
        let Some(transport) = &transport else {
            continue;
        };
        if deja_envoye {
            journal.detail(format!("{} : déjà envoyé, rien à faire", d.nom));
            continue;
        }
        let resultat = transport.send(&message.message);
        let envoi = Envoi {
            code_commune: d.code.clone(),
            destinataires: adresses,
            pieces_jointes: message.pieces_jointes.clone(),
            message_id: message.message_id.clone(),
            etat: if resultat.is_ok() { "envoye" } else { "echec" }.to_string(),
            date: maintenant(),
            erreur: resultat.as_ref().err().map(|e| e.to_string()),
        };
        match &resultat {
            Ok(_) => envoyes += 1,
            Err(e) => {
                echecs += 1;
                journal.avertissement(&Probleme::new(
                    &eml,
                    format!(
                        "envoi à {} impossible : {e} (nouvel essai au prochain envoi)",
                        d.nom
                    ),
                ));
            }
        }
        deja.retain(|e| e.code_commune != d.code);
        deja.push(envoi);
        // Recorded after every message: an interruption loses nothing.
        ecrire_journal(&chemin_journal, &deja)?;
    }
    if options.simulation {
        return Ok(());
    }
    journal.info(match transport {
        Some(_) => format!("{envoyes} message(s) envoyé(s), {echecs} échec(s) ; journal : {}", chemin_journal.display()),
        None => format!(
            "{} message(s) écrit(s) dans {} pour relecture ; « qpv-annexe send --smtp » pour les envoyer",
            destinataires.len(),
            boite.display()
        ),
    });
    if echecs > 0 {
        return Err(Erreur::EnvoiIncomplet(echecs));
    }
    Ok(())
}
