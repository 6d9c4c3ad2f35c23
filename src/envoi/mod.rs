//! Sending each commune its own documents: one message per commune of
//! `contacts*.csv`, with the commune's key figures in French and its
//! workbook and PDF attached. By default the messages are only written to
//! `reports/<T>/outbox/` for review; with `--smtp` they are sent through
//! the `[envoi]` settings, and `reports/envois/<T>.json` — outside the
//! report, which `--force` replaces — records what went to whom and when,
//! with the SHA-256 of every attachment: a commune never gets the same
//! documents twice, and after a rectified report only the communes whose
//! documents changed get a message, marked "Version rectificative".

mod message;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::{Address, SmtpTransport, Transport};
use serde::{Deserialize, Serialize};

use crate::erreur::{Erreur, Probleme, Resultat};
use crate::journal::Journal;
use crate::lecture::entetes::Colonne;
use crate::lecture::valeurs::texte;
use crate::lecture::{lire_tables, signaler};
use crate::modele::colonnes::LIGNE;
use crate::rapport::chemins::{Chemins, Fichiers, Format};
use crate::rapport::manifeste::{empreinte, nom as nom_de_fichier};
use crate::rapport::version::{relatif, Rectification, Versions};
use crate::reglages::{Date, Reglages, ReglagesEnvoi};

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

/// One line of the send log.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Envoi {
    pub code_commune: String,
    pub destinataires: Vec<String>,
    pub pieces_jointes: Vec<PieceJointe>,
    pub message_id: String,
    /// `envoye`, `echec` (temporary: tried again at the next `send`) or
    /// `refuse` (the server refused it for good).
    pub etat: String,
    /// When (UTC, RFC 3339).
    pub date: String,
    pub erreur: Option<String>,
    /// A rectified version's message.
    #[serde(default)]
    pub rectificatif: bool,
}

/// An attachment as sent: its name and the SHA-256 of its bytes.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PieceJointe {
    pub fichier: String,
    pub sha256: String,
}

/// A line of the send log of versions before 0.2, inside the report.
#[derive(Deserialize)]
struct EnvoiAncien {
    code_commune: String,
    destinataires: Vec<String>,
    message_id: String,
    etat: String,
    date: String,
    erreur: Option<String>,
}

/// A commune to write to: its addresses and its documents.
pub struct Destinataire {
    pub code: String,
    pub nom: String,
    pub adresses: Vec<Address>,
    pub fichiers: Vec<PathBuf>,
    /// `fichiers` as they would be sent.
    pub pieces: Vec<PieceJointe>,
    /// The latest version rectificative of `fichiers`, from the report's
    /// manifest.
    pub version: Option<Rectification>,
}

/// What a commune is due, given the send log.
#[derive(Debug, Clone, PartialEq)]
pub enum AEnvoyer {
    /// These very documents were sent.
    Rien,
    /// Nothing was sent yet.
    Premier,
    /// Other documents were sent: a rectified version, its number and date
    /// (those the documents carry; without, the count of versions sent),
    /// when the previous went and what changed.
    Rectificatif {
        numero: u32,
        date_version: Option<Date>,
        precedent: String,
        changees: Vec<String>,
    },
}

/// What `d` is due, from the messages of the log delivered to it.
pub fn a_envoyer(journal: &[Envoi], d: &Destinataire) -> AEnvoyer {
    let remis: Vec<&Envoi> = journal
        .iter()
        .filter(|e| e.code_commune == d.code && e.etat == "envoye")
        .collect();
    let Some(dernier) = remis.last() else {
        return AEnvoyer::Premier;
    };
    if remis.iter().any(|e| e.pieces_jointes == d.pieces) {
        return AEnvoyer::Rien;
    }
    let changees = d
        .pieces
        .iter()
        .filter(|p| !dernier.pieces_jointes.contains(p))
        .map(|p| p.fichier.clone())
        .collect();
    let mut versions: Vec<&Vec<PieceJointe>> = remis.iter().map(|e| &e.pieces_jointes).collect();
    versions.dedup();
    AEnvoyer::Rectificatif {
        numero: d.version.map_or(versions.len() as u32, |v| v.numero),
        date_version: d.version.map(|v| v.date),
        precedent: dernier.date.get(..10).unwrap_or(&dernier.date).to_string(),
        changees,
    }
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

fn reglage_invalide(reglages: &Reglages, message: String, attendu: &str) -> Erreur {
    Erreur::configuration(Probleme::new(&reglages.fichier_config, message).attendu(attendu))
}

fn adresse(reglages: &Reglages, cle: &str, valeur: &str) -> Resultat<Address> {
    valeur.trim().parse::<Address>().map_err(|_| {
        Erreur::configuration(
            Probleme::new(
                &reglages.fichier_config,
                format!("adresse [envoi] {cle} invalide"),
            )
            .attendu("une adresse de la forme nom@domaine.fr")
            .trouve(valeur),
        )
    })
}

/// The SMTP transport of `[envoi]`; user and password from the
/// environment, never from the settings file.
fn transport(reglages: &Reglages, r: &ReglagesEnvoi) -> Resultat<SmtpTransport> {
    let hote = r.smtp_hote.as_deref().ok_or_else(|| {
        reglage_invalide(
            reglages,
            "clé [envoi] smtp_hote absente".to_string(),
            "smtp_hote = \"smtp.example.gouv.fr\" pour envoyer avec --smtp",
        )
    })?;
    let securite = r.smtp_securite.as_deref().unwrap_or("starttls");
    let constructeur = match securite {
        "aucune" => SmtpTransport::builder_dangerous(hote),
        "starttls" => SmtpTransport::starttls_relay(hote).map_err(|e| {
            reglage_invalide(
                reglages,
                format!("serveur SMTP {hote} : {e}"),
                "un nom d'hôte valide",
            )
        })?,
        "tls" => SmtpTransport::relay(hote).map_err(|e| {
            reglage_invalide(
                reglages,
                format!("serveur SMTP {hote} : {e}"),
                "un nom d'hôte valide",
            )
        })?,
        autre => {
            return Err(Erreur::configuration(
                Probleme::new(
                    &reglages.fichier_config,
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

/// The send log; a log of a version before 0.2 (inside the report, no
/// SHA-256) is taken over once, its messages counted as carrying the
/// documents the report holds now (the ones it was sent from).
fn lire_journal(chemins: &Chemins, destinataires: &[Destinataire]) -> Resultat<Vec<Envoi>> {
    let chemin = chemins.journal_envoi();
    if chemin.exists() {
        return lire_json(&chemin);
    }
    let ancien = chemins.dans(&chemins.rapport()).ancien_journal_envoi();
    if !ancien.exists() {
        return Ok(Vec::new());
    }
    let anciens: Vec<EnvoiAncien> = lire_json(&ancien)?;
    Ok(anciens
        .into_iter()
        .map(|e| Envoi {
            pieces_jointes: destinataires
                .iter()
                .find(|d| d.code == e.code_commune)
                .map(|d| d.pieces.clone())
                .unwrap_or_default(),
            code_commune: e.code_commune,
            destinataires: e.destinataires,
            message_id: e.message_id,
            etat: e.etat,
            date: e.date,
            erreur: e.erreur,
            rectificatif: false,
        })
        .collect())
}

fn lire_json<T: serde::de::DeserializeOwned>(chemin: &Path) -> Resultat<T> {
    let texte = std::fs::read_to_string(chemin).map_err(Erreur::acces(chemin, "lecture"))?;
    serde_json::from_str(&texte).map_err(|e| {
        Erreur::Donnees(vec![
            Probleme::new(chemin, "journal d'envoi illisible").trouve(e.to_string())
        ])
    })
}

fn ecrire_journal(chemin: &Path, journal: &[Envoi]) -> Resultat<()> {
    if let Some(dossier) = chemin.parent() {
        std::fs::create_dir_all(dossier).map_err(Erreur::acces(dossier, "création du dossier"))?;
    }
    let mut texte =
        serde_json::to_string_pretty(journal).map_err(Erreur::json("journal d'envoi"))?;
    texte.push('\n');
    // Written beside, then renamed: a crash never leaves half a journal.
    let provisoire = chemin.with_extension("json.en-cours");
    std::fs::write(&provisoire, texte).map_err(Erreur::acces(&provisoire, "écriture"))?;
    std::fs::rename(&provisoire, chemin).map_err(Erreur::acces(chemin, "écriture"))
}

/// Now, for the journal: when a message was sent is a fact of the world.
fn maintenant() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The communes that have documents in the report, with their contact; a
/// commune without one is said and skipped.
fn destinataires(
    rapport: &Fichiers,
    contacts: &BTreeMap<String, Contact>,
    journal: &Journal,
) -> Resultat<Vec<Destinataire>> {
    let versions = Versions::du_manifeste(&rapport.manifeste())?;
    let dossier = rapport.communes();
    let mut documents: Vec<(String, PathBuf)> = std::fs::read_dir(&dossier)
        .map_err(Erreur::acces(rapport.dossier(), "lecture du dossier"))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|x| x == Format::Classeur.extension())
        })
        .filter_map(|p| Some((p.file_name()?.to_str()?.get(..5)?.to_string(), p)))
        .collect();
    documents.sort();
    let mut destinataires = Vec::new();
    for (code, classeur) in documents {
        let Some((nom, adresses)) = contacts.get(&code) else {
            journal.avertissement(&Probleme::new(
                &classeur,
                format!("commune {code} sans contact dans contacts*.csv : rien ne lui est envoyé"),
            ));
            continue;
        };
        let nom = nom.clone().unwrap_or_else(|| code.clone());
        let pdf = classeur.with_extension(Format::Pdf.extension());
        let fichiers = vec![classeur, pdf];
        let pieces = fichiers
            .iter()
            .map(|f| {
                Ok(PieceJointe {
                    fichier: nom_de_fichier(f),
                    sha256: empreinte(f)?.0,
                })
            })
            .collect::<Resultat<Vec<_>>>()?;
        let version = fichiers
            .iter()
            .filter_map(|f| versions.de(&relatif(f, rapport.dossier())))
            .max_by_key(|v| v.numero);
        destinataires.push(Destinataire {
            code,
            nom,
            adresses: adresses.clone(),
            fichiers,
            pieces,
            version,
        });
    }
    Ok(destinataires)
}

/// The sender and the copy of `[envoi]`, checked.
fn expediteurs(reglages: &Reglages, envoi: &ReglagesEnvoi) -> Resultat<(Address, Option<Address>)> {
    let expediteur = envoi.expediteur.as_deref().ok_or_else(|| {
        reglage_invalide(
            reglages,
            "clé [envoi] expediteur absente".to_string(),
            "expediteur = \"politique-ville@example.gouv.fr\"",
        )
    })?;
    let expediteur = adresse(reglages, "expediteur", expediteur)?;
    let copie = envoi
        .copie
        .as_deref()
        .map(|c| adresse(reglages, "copie", c))
        .transpose()?;
    Ok((expediteur, copie))
}

/// What `--dry-run` says of one message.
fn simuler(d: &Destinataire, du: &AEnvoyer, options: OptionsEnvoi, eml: &Path, journal: &Journal) {
    let adresses: Vec<String> = d.adresses.iter().map(|a| a.to_string()).collect();
    journal.info(format!(
        "{} {} → {} ({})",
        match du {
            AEnvoyer::Rien => "déjà envoyé :",
            AEnvoyer::Rectificatif { .. } if options.smtp => {
                "version rectificative, serait envoyée :"
            }
            _ if options.smtp => "serait envoyé :",
            _ => "serait écrit :",
        },
        d.nom,
        adresses.join(", "),
        eml.file_name().unwrap_or_default().to_string_lossy()
    ));
}

/// Attempts at a message the server defers (4xx), and the pause before
/// the second (doubled before each next one).
const ESSAIS: u32 = 3;
const PAUSE_ENTRE_ESSAIS: Duration = Duration::from_secs(5);

/// Sends one message and says how it went; the send log's line. A
/// temporary refusal (4xx) is tried again, paced; a permanent one (5xx)
/// is recorded as such.
fn remettre(
    transport: &SmtpTransport,
    (d, du): (&Destinataire, &AEnvoyer),
    courriel: &message::Courriel,
    eml: &Path,
    journal: &Journal,
) -> Envoi {
    let mut resultat = transport.send(&courriel.message);
    let mut pause = PAUSE_ENTRE_ESSAIS;
    for _ in 1..ESSAIS {
        match &resultat {
            Err(e) if e.is_transient() => {
                journal.detail(format!("{} : refus temporaire ({e}), nouvel essai", d.nom));
                std::thread::sleep(pause);
                pause *= 2;
                resultat = transport.send(&courriel.message);
            }
            _ => break,
        }
    }
    let etat = match &resultat {
        Ok(_) => "envoye",
        Err(e) if e.is_permanent() => "refuse",
        Err(_) => "echec",
    };
    if let Err(e) = &resultat {
        journal.avertissement(&Probleme::new(
            eml,
            format!(
                "envoi à {} impossible : {e} (nouvel essai au prochain envoi)",
                d.nom
            ),
        ));
    }
    Envoi {
        code_commune: d.code.clone(),
        destinataires: d.adresses.iter().map(|a| a.to_string()).collect(),
        pieces_jointes: d.pieces.clone(),
        message_id: courriel.message_id.clone(),
        etat: etat.to_string(),
        date: maintenant(),
        erreur: resultat.as_ref().err().map(|e| e.to_string()),
        rectificatif: matches!(du, AEnvoyer::Rectificatif { .. }),
    }
}

/// Builds, writes for review and (with `--smtp`) sends every commune's
/// message; returns an error when a delivery failed (it will be retried).
pub fn envoyer(reglages: &Reglages, options: OptionsEnvoi, journal: &Journal) -> Resultat<()> {
    let chemins = Chemins::new(reglages);
    let dossier = chemins.rapport();
    let rapport = chemins.dans(&dossier);
    if !rapport.communes().is_dir() {
        return Err(Erreur::Usage(format!(
            "aucun rapport dans {} : lancez d'abord « qpv-annexe run »",
            dossier.display()
        )));
    }
    let envoi = reglages.envoi.clone().unwrap_or_default();
    let (expediteur, copie) = expediteurs(reglages, &envoi)?;
    let contacts = lire_contacts(&reglages.entrees.contacts)?;
    let destinataires = destinataires(&rapport, &contacts, journal)?;
    let chemin_journal = chemins.journal_envoi();
    let mut deja = lire_journal(&chemins, &destinataires)?;
    let figures = message::Chiffres::lire(&rapport.indicateurs())?;
    let boite = rapport.boite_d_envoi();
    let transport = if options.smtp && !options.simulation {
        Some(transport(reglages, &envoi)?)
    } else {
        None
    };
    if !options.simulation {
        std::fs::create_dir_all(&boite).map_err(Erreur::acces(&boite, "création du dossier"))?;
    }
    let (mut envoyes, mut echecs) = (0, 0);
    for d in &destinataires {
        let du = a_envoyer(&deja, d);
        let courriel = construire(reglages, d, (&expediteur, copie.as_ref()), &figures, &du)?;
        let eml = rapport.courriel(&d.code, &d.nom);
        if options.simulation {
            simuler(d, &du, options, &eml, journal);
            continue;
        }
        std::fs::write(&eml, courriel.message.formatted())
            .map_err(Erreur::acces(&eml, "écriture"))?;
        let Some(transport) = &transport else {
            continue;
        };
        if du == AEnvoyer::Rien {
            journal.detail(format!(
                "{} : ces documents lui ont été envoyés, rien à faire",
                d.nom
            ));
            continue;
        }
        let envoi = remettre(transport, (d, &du), &courriel, &eml, journal);
        if envoi.etat == "envoye" {
            envoyes += 1;
        } else {
            echecs += 1;
        }
        // The log keeps every message delivered; a failure only until the
        // next attempt.
        deja.retain(|e| e.code_commune != d.code || e.etat == "envoye");
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

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(empreinte: &str) -> Vec<PieceJointe> {
        vec![PieceJointe {
            fichier: "92007-bagneux.pdf".to_string(),
            sha256: empreinte.to_string(),
        }]
    }

    fn remis(empreinte: &str, date: &str, etat: &str) -> Envoi {
        Envoi {
            code_commune: "92007".to_string(),
            destinataires: vec![],
            pieces_jointes: pieces(empreinte),
            message_id: String::new(),
            etat: etat.to_string(),
            date: date.to_string(),
            erreur: None,
            rectificatif: false,
        }
    }

    fn bagneux(empreinte: &str) -> Destinataire {
        Destinataire {
            code: "92007".to_string(),
            nom: "Bagneux".to_string(),
            adresses: vec![],
            fichiers: vec![],
            pieces: pieces(empreinte),
            version: None,
        }
    }

    /// Nothing sent: the first message; a failure does not count; the
    /// same bytes again: nothing; other bytes: the next version, dated
    /// from the last one delivered; an earlier version's bytes again are
    /// not resent.
    #[test]
    fn une_commune_recoit_chaque_version_une_fois() {
        assert_eq!(a_envoyer(&[], &bagneux("a")), AEnvoyer::Premier);
        let echec = remis("a", "2026-12-01T08:00:00Z", "echec");
        assert_eq!(a_envoyer(&[echec], &bagneux("a")), AEnvoyer::Premier);
        let journal = vec![
            remis("a", "2026-12-01T08:00:00Z", "envoye"),
            remis("b", "2026-12-15T08:00:00Z", "envoye"),
        ];
        assert_eq!(a_envoyer(&journal, &bagneux("b")), AEnvoyer::Rien);
        assert_eq!(a_envoyer(&journal, &bagneux("a")), AEnvoyer::Rien);
        // The documents' own mark wins over the count.
        let marque = Rectification {
            numero: 4,
            date: Date::lire("2027-01-05").unwrap(),
        };
        let d = Destinataire {
            version: Some(marque),
            ..bagneux("c")
        };
        assert!(matches!(
            a_envoyer(&journal, &d),
            AEnvoyer::Rectificatif { numero: 4, date_version: Some(j), .. } if j == marque.date
        ));
        assert_eq!(
            a_envoyer(&journal, &bagneux("c")),
            AEnvoyer::Rectificatif {
                numero: 2,
                date_version: None,
                precedent: "2026-12-15".to_string(),
                changees: vec!["92007-bagneux.pdf".to_string()],
            }
        );
    }
}
