//! One commune's message: a French subject and body with the commune's key
//! figures (as published, secrecy applied), its workbook and PDF attached.
//! Date and Message-ID come from the council, so the `.eml` written for
//! review is the same from one run to the next.

use std::collections::HashMap;
use std::path::Path;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{Address, Message};

use super::{AEnvoyer, Destinataire};
use crate::erreur::{Erreur, Resultat};
use crate::format;
use crate::modele::{mesures, niveaux, DE_ABC};
use crate::rapport::publie;
use crate::reglages::{Date, Reglages};

/// The published figures of `indicateurs.csv`, by (niveau, code,
/// indicateur, mesure) → value when it is one.
pub struct Chiffres(HashMap<(String, String, String, String), f64>);

impl Chiffres {
    /// The figures of `indicateurs.csv` that are values, funding rows left
    /// out.
    pub fn lire(chemin: &Path) -> Resultat<Chiffres> {
        let chiffres = publie::lire(chemin)?
            .into_iter()
            .filter_map(|l| match (l.valeur, &l.statut, &l.dispositif) {
                (Some(v), None, None) => Some(((l.niveau, l.code, l.indicateur, l.mesure), v)),
                _ => None,
            })
            .collect();
        Ok(Chiffres(chiffres))
    }

    fn chercher(&self, niveau: &str, code: &str, indicateur: &str, mesure: &str) -> Option<f64> {
        self.0
            .get(&(niveau.into(), code.into(), indicateur.into(), mesure.into()))
            .copied()
    }
}

/// Job seekers living in the territory's QPV.
const DE_ABC_QPV: &str = "de_abc_qpv";

pub struct Courriel {
    pub message: Message,
    pub message_id: String,
}

fn corps(reglages: &Reglages, d: &Destinataire, chiffres: &Chiffres) -> String {
    let c = &reglages.conseil;
    let mut phrases = Vec::new();
    let commune = |i: &str, m: &str| chiffres.chercher(niveaux::COMMUNE, &d.code, i, m);
    if let Some(de) = commune(DE_ABC, mesures::EFFECTIF) {
        let mut p = format!(
            "À la fin du {}, {} comptait {} demandeurs d'emploi (catégories A, B, C)",
            c.periode.libelle_long(),
            d.nom,
            format::effectif(de)
        );
        if let (Some(q), Some(part)) = (
            commune(DE_ABC_QPV, mesures::EFFECTIF),
            commune(DE_ABC_QPV, mesures::PART),
        ) {
            p.push_str(&format!(
                ", dont {} résidant en quartier prioritaire ({})",
                format::effectif(q),
                format::pourcentage(part)
            ));
        }
        p.push('.');
        phrases.push(p);
    }
    if let Some(e) = commune(DE_ABC_QPV, mesures::EVOLUTION_ANNUELLE) {
        phrases.push(format!(
            "En un an, la demande d'emploi en QPV a évolué de {}.",
            format::evolution(e)
        ));
    }
    if let Some(p) = chiffres.chercher(
        niveaux::DEPARTEMENT,
        &c.departement,
        DE_ABC_QPV,
        mesures::PART,
    ) {
        phrases.push(format!(
            "Pour comparaison, {} des demandeurs d'emploi du département résident en QPV.",
            format::pourcentage(p)
        ));
    }
    let pour = match c.date {
        Some(_) => format!(", préparée pour le {}", c.intitule()),
        None => String::new(),
    };
    let mut texte = format!(
        "Madame, Monsieur,\n\nVeuillez trouver ci-joint l'annexe statistique des quartiers prioritaires de la politique de la ville de {} pour le {}{pour}.\n\n",
        d.nom,
        c.periode.libelle_long(),
    );
    for p in phrases {
        texte.push_str(&format!("- {p}\n"));
    }
    texte.push_str(&format!(
        "\nLe classeur détaille les chiffres de la commune et de chacun de ses quartiers ; la synthèse PDF tient sur une page. Les effectifs inférieurs à {} sont couverts par le secret statistique (« s »).\n\nCordialement,\n\n{}\n",
        reglages.seuil_secret, reglages.documents.service
    ));
    texte
}

/// What a rectified version's message says first: what it replaces, and
/// what changed.
fn rectification(
    (numero, date_version): (u32, Option<Date>),
    precedent: &str,
    changees: &[String],
) -> String {
    let date = Date::lire(precedent)
        .map(Date::en_toutes_lettres)
        .unwrap_or_else(|| precedent.to_string());
    let du = date_version
        .map(|d| format!(" du {}", d.en_toutes_lettres()))
        .unwrap_or_default();
    format!(
        "Version rectificative n° {numero}{du} : ce message remplace celui du {date}. Les documents suivants ont changé depuis : {}. Merci de ne plus utiliser les précédents.\n\n",
        changees.join(", ")
    )
}

pub fn construire(
    reglages: &Reglages,
    d: &Destinataire,
    (expediteur, copie): (&Address, Option<&Address>),
    chiffres: &Chiffres,
    du: &AEnvoyer,
) -> Resultat<Courriel> {
    let c = &reglages.conseil;
    // A rectified version is another message: its own id.
    let version = match du {
        AEnvoyer::Rectificatif { numero, .. } => format!(".v{numero}"),
        _ => String::new(),
    };
    let message_id = format!(
        "<qpv-annexe.{}.{}.{}{version}@{}>",
        c.departement,
        c.periode,
        d.code,
        expediteur.domain()
    );
    let (prefixe, en_tete) = match du {
        AEnvoyer::Rectificatif {
            numero,
            date_version,
            precedent,
            changees,
        } => (
            "Version rectificative : ",
            rectification((*numero, *date_version), precedent, changees),
        ),
        _ => ("", String::new()),
    };
    let mut constructeur = Message::builder()
        .from(Mailbox::new(
            Some(reglages.documents.service.clone()),
            expediteur.clone(),
        ))
        .subject(format!(
            "{prefixe}Annexe statistique QPV — {} — {}",
            d.nom,
            c.periode.libelle_long()
        ))
        .message_id(Some(message_id.clone()))
        // Dated from the council, as the documents are.
        .date(c.date_documents().minuit());
    for a in &d.adresses {
        constructeur = constructeur.to(Mailbox::new(None, a.clone()));
    }
    if let Some(cc) = copie {
        constructeur = constructeur.cc(Mailbox::new(None, cc.clone()));
    }
    let mut parties = MultiPart::mixed()
        .boundary(format!("qpv-annexe-{}-{}", c.periode, d.code))
        .singlepart(SinglePart::plain(en_tete + &corps(reglages, d, chiffres)));
    for (f, piece) in d.fichiers.iter().zip(&d.pieces) {
        let octets = std::fs::read(f).map_err(Erreur::acces(f, "lecture"))?;
        let nom = &piece.fichier;
        let type_mime = if nom.ends_with(".pdf") {
            "application/pdf"
        } else {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        };
        let type_mime = ContentType::parse(type_mime).map_err(|e| Erreur::Courriel {
            contexte: "pièce jointe",
            source: Box::new(e),
        })?;
        parties = parties.singlepart(Attachment::new(nom.clone()).body(octets, type_mime));
    }
    let message = constructeur
        .multipart(parties)
        .map_err(|e| Erreur::Courriel {
            contexte: "construction du message",
            source: Box::new(e),
        })?;
    Ok(Courriel {
        message,
        message_id,
    })
}
