//! One commune's message: a French subject and body with the commune's key
//! figures (as published, secrecy applied), its workbook and PDF attached.
//! Date and Message-ID come from the council, so the `.eml` written for
//! review is the same from one run to the next.

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{Address, Message};

use super::Destinataire;
use crate::error::{Erreur, Probleme, Resultat};
use crate::render::format;
use crate::settings::Settings;

/// The published figures of `indicateurs.csv`, by (niveau, code,
/// indicateur, mesure) → value when it is one.
pub struct Chiffres(HashMap<(String, String, String, String), f64>);

impl Chiffres {
    pub fn lire(chemin: &Path) -> Resultat<Chiffres> {
        let mut lecteur = csv::Reader::from_path(chemin).map_err(|e| {
            Erreur::Donnees(vec![
                Probleme::new(chemin, "indicateurs illisibles").trouve(e.to_string())
            ])
        })?;
        let mut chiffres = HashMap::new();
        for r in lecteur.records().flatten() {
            if let (Some(v), Some("")) = (r.get(6).and_then(|v| v.parse::<f64>().ok()), r.get(7)) {
                if r.get(8).unwrap_or("").is_empty() {
                    chiffres.insert(
                        (
                            r[1].to_string(),
                            r[2].to_string(),
                            r[4].to_string(),
                            r[5].to_string(),
                        ),
                        v,
                    );
                }
            }
        }
        Ok(Chiffres(chiffres))
    }

    fn get(&self, niveau: &str, code: &str, indicateur: &str, mesure: &str) -> Option<f64> {
        self.0
            .get(&(niveau.into(), code.into(), indicateur.into(), mesure.into()))
            .copied()
    }
}

pub struct Courriel {
    pub message: Message,
    pub message_id: String,
    pub pieces_jointes: Vec<String>,
}

fn corps(settings: &Settings, d: &Destinataire, chiffres: &Chiffres) -> String {
    let c = &settings.conseil;
    let mut phrases = Vec::new();
    let commune = |i: &str, m: &str| chiffres.get("commune", &d.code, i, m);
    if let Some(de) = commune("de_abc", "effectif") {
        let mut p = format!(
            "À la fin du {}, {} comptait {} demandeurs d'emploi (catégories A, B, C)",
            c.periode.libelle_long(),
            d.nom,
            format::effectif(de)
        );
        if let (Some(q), Some(part)) = (
            commune("de_abc_qpv", "effectif"),
            commune("de_abc_qpv", "part"),
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
    if let Some(e) = commune("de_abc_qpv", "evolution_annuelle") {
        phrases.push(format!(
            "En un an, la demande d'emploi en QPV a évolué de {}.",
            format::evolution(e)
        ));
    }
    if let Some(p) = chiffres.get("departement", &c.departement, "de_abc_qpv", "part") {
        phrases.push(format!(
            "Pour comparaison, {} des demandeurs d'emploi du département résident en QPV.",
            format::pourcentage(p)
        ));
    }
    let mut texte = format!(
        "Madame, Monsieur,\n\nVeuillez trouver ci-joint l'annexe statistique des quartiers prioritaires de la politique de la ville de {} pour le {}, préparée pour le {} du {}.\n\n",
        d.nom,
        c.periode.libelle_long(),
        c.titre,
        c.date.en_toutes_lettres()
    );
    for p in phrases {
        texte.push_str(&format!("- {p}\n"));
    }
    texte.push_str(&format!(
        "\nLe classeur détaille les chiffres de la commune et de chacun de ses quartiers ; la synthèse PDF tient sur une page. Les effectifs inférieurs à {} sont couverts par le secret statistique (« s »).\n\nCordialement,\n\n{}\n",
        settings.seuil_secret, settings.documents.service
    ));
    texte
}

pub fn construire(
    settings: &Settings,
    d: &Destinataire,
    expediteur: &Address,
    copie: Option<&Address>,
    chiffres: &Chiffres,
) -> Resultat<Courriel> {
    let c = &settings.conseil;
    let message_id = format!(
        "<qpv-annexe.{}.{}.{}@{}>",
        c.departement,
        c.periode,
        d.code,
        expediteur.domain()
    );
    let mut constructeur = Message::builder()
        .from(Mailbox::new(
            Some(settings.documents.service.clone()),
            expediteur.clone(),
        ))
        .subject(format!(
            "Annexe statistique QPV — {} — {}",
            d.nom,
            c.periode.libelle_long()
        ))
        .message_id(Some(message_id.clone()))
        // Dated from the council, as the documents are.
        .date(
            UNIX_EPOCH
                + Duration::from_secs(
                    jours_depuis_1970(c.date.annee, c.date.mois, c.date.jour) * 86_400,
                ),
        );
    for a in &d.adresses {
        constructeur = constructeur.to(Mailbox::new(None, a.clone()));
    }
    if let Some(cc) = copie {
        constructeur = constructeur.cc(Mailbox::new(None, cc.clone()));
    }
    let mut parties = MultiPart::mixed()
        .boundary(format!("qpv-annexe-{}-{}", c.periode, d.code))
        .singlepart(SinglePart::plain(corps(settings, d, chiffres)));
    let mut pieces_jointes = Vec::new();
    for f in &d.fichiers {
        let octets = std::fs::read(f).map_err(Erreur::io(f, "lecture"))?;
        let nom = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let type_mime = if nom.ends_with(".pdf") {
            "application/pdf"
        } else {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        };
        let type_mime = ContentType::parse(type_mime).map_err(|e| Erreur::Interne {
            contexte: "pièce jointe",
            message: e.to_string(),
        })?;
        parties = parties.singlepart(Attachment::new(nom.clone()).body(octets, type_mime));
        pieces_jointes.push(nom);
    }
    let message = constructeur
        .multipart(parties)
        .map_err(|e| Erreur::Interne {
            contexte: "construction du message",
            message: e.to_string(),
        })?;
    Ok(Courriel {
        message,
        message_id,
        pieces_jointes,
    })
}

/// Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn jours_depuis_1970(annee: i32, mois: u8, jour: u8) -> u64 {
    let (m, j) = (i64::from(mois), i64::from(jour));
    let a = i64::from(annee) - i64::from(m <= 2);
    let ere = a.div_euclid(400);
    let yoe = a.rem_euclid(400);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + j - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (ere * 146_097 + doe - 719_468).max(0) as u64
}

#[cfg(test)]
mod tests {
    #[test]
    fn jours_depuis_1970() {
        assert_eq!(super::jours_depuis_1970(1970, 1, 1), 0);
        assert_eq!(super::jours_depuis_1970(2021, 4, 27), 18_744);
    }
}
