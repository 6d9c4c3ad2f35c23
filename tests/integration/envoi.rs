//! Sending against a real SMTP server (mailin-embedded) started by the test
//! on localhost: the right recipients and attachments, nothing sent twice,
//! failures recorded and retried, invalid addresses refused before anything
//! is sent.

use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use mailin_embedded::{response, Handler, Response, Server};

use crate::commun::*;

#[derive(Debug, Clone, Default)]
struct Recu {
    destinataires: Vec<String>,
    texte: String,
}

/// Keeps every message; refuses the addresses starting with "refuse"
/// while `refuser` holds.
#[derive(Clone)]
struct Boite {
    recus: Arc<Mutex<Vec<Recu>>>,
    refuser: Arc<AtomicBool>,
    courant: Recu,
    octets: Vec<u8>,
}

impl Handler for Boite {
    fn rcpt(&mut self, to: &str) -> Response {
        if to.starts_with("refuse") && self.refuser.load(Ordering::SeqCst) {
            response::NO_MAILBOX
        } else {
            response::OK
        }
    }

    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.courant = Recu {
            destinataires: to.to_vec(),
            texte: String::new(),
        };
        self.octets.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.octets.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let mut recu = std::mem::take(&mut self.courant);
        recu.texte = String::from_utf8_lossy(&self.octets).into_owned();
        self.recus.lock().unwrap().push(recu);
        response::OK
    }
}

/// Starts a server on a free local port; it lives as long as the tests.
fn serveur() -> (u16, Arc<Mutex<Vec<Recu>>>, Arc<AtomicBool>) {
    let ecoute = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = ecoute.local_addr().unwrap().port();
    let recus = Arc::new(Mutex::new(Vec::new()));
    let refuser = Arc::new(AtomicBool::new(true));
    let boite = Boite {
        recus: recus.clone(),
        refuser: refuser.clone(),
        courant: Recu::default(),
        octets: Vec::new(),
    };
    let mut serveur = Server::new(boite);
    serveur.with_name("localhost").with_tcp_listener(ecoute);
    std::thread::spawn(move || {
        let _ = serveur.serve();
    });
    (port, recus, refuser)
}

fn envoyer(dossier: &std::path::Path, options: &[&str]) -> std::process::Output {
    let config = dossier.join("conseil.toml");
    let rapports = dossier.join("reports");
    let mut args = vec![
        "send",
        "--config",
        config.to_str().unwrap(),
        "--reports",
        rapports.to_str().unwrap(),
    ];
    args.extend_from_slice(options);
    qpv_annexe(&args)
}

fn preparer(port: u16) -> tempfile::TempDir {
    let d = copie_des_entrees();
    let conseil = std::fs::read_to_string(d.path().join("conseil.toml")).unwrap();
    let conseil = conseil
        .replace(
            "smtp_hote = \"smtp.example.gouv.fr\"",
            "smtp_hote = \"127.0.0.1\"",
        )
        .replace("smtp_port = 587", &format!("smtp_port = {port}"))
        .replace("smtp_securite = \"starttls\"", "smtp_securite = \"aucune\"");
    std::fs::write(d.path().join("conseil.toml"), conseil).unwrap();
    assert!(run(d.path()).status.success());
    d
}

#[test]
fn chaque_commune_recoit_les_siens_une_seule_fois() {
    let (port, recus, refuser) = serveur();
    let d = preparer(port);
    // Villeneuve-la-Garenne gets an address the server refuses at first.
    let mut contacts = std::fs::read_to_string(d.path().join("contacts.csv")).unwrap();
    contacts.push_str("92078;Villeneuve-la-Garenne;refuse@villeneuve-la-garenne.example.fr\n");
    std::fs::write(d.path().join("contacts.csv"), contacts).unwrap();

    // Without --smtp: messages written for review, nothing sent.
    let relecture = envoyer(d.path(), &[]);
    assert!(relecture.status.success(), "{}", stderr(&relecture));
    assert!(d
        .path()
        .join("reports/2020T4/outbox/92007-bagneux.eml")
        .exists());
    assert!(recus.lock().unwrap().is_empty());

    let premier = envoyer(d.path(), &["--smtp"]);
    assert_eq!(premier.status.code(), Some(5), "{}", stderr(&premier));
    assert!(
        stderr(&premier).contains("1 message(s) non remis"),
        "{}",
        stderr(&premier)
    );
    {
        let recus = recus.lock().unwrap();
        assert_eq!(recus.len(), 8);
        let bagneux: Vec<&Recu> = recus
            .iter()
            .filter(|r| r.texte.contains("Bagneux"))
            .collect();
        assert_eq!(bagneux.len(), 1);
        assert_eq!(
            bagneux[0].destinataires,
            ["politique-ville@bagneux.example.fr"]
        );
        assert!(bagneux[0].texte.contains("filename=\"92007-bagneux.xlsx\""));
        assert!(bagneux[0].texte.contains("filename=\"92007-bagneux.pdf\""));
        assert!(!bagneux[0].texte.contains("92050-nanterre"));
        let gennevilliers = recus
            .iter()
            .find(|r| r.texte.contains("92036-gennevilliers.pdf"))
            .unwrap();
        assert_eq!(
            gennevilliers.destinataires,
            [
                "politique-ville@gennevilliers.example.fr",
                "cite-emploi@gennevilliers.example.fr"
            ]
        );
    }
    let journal: serde_json::Value = serde_json::from_slice(
        &std::fs::read(d.path().join("reports/envois/2020T4.json")).unwrap(),
    )
    .unwrap();
    let etats: Vec<(&str, &str)> = journal
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["code_commune"].as_str().unwrap(),
                e["etat"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(etats.iter().filter(|e| e.1 == "envoye").count(), 8);
    // 550, a permanent refusal: recorded as such, tried again at the next
    // send (the address may have been fixed).
    assert!(etats.contains(&("92078", "refuse")));

    // Rerun: only the failed one is retried, and now it goes through.
    refuser.store(false, Ordering::SeqCst);
    let second = envoyer(d.path(), &["--smtp"]);
    assert!(second.status.success(), "{}", stderr(&second));
    {
        let recus = recus.lock().unwrap();
        assert_eq!(recus.len(), 9);
        assert_eq!(
            recus[8].destinataires,
            ["refuse@villeneuve-la-garenne.example.fr"]
        );
    }
    let troisieme = envoyer(d.path(), &["--smtp"]);
    assert!(troisieme.status.success());
    // Nothing sent twice.
    assert_eq!(recus.lock().unwrap().len(), 9);
}

#[test]
fn une_adresse_invalide_arrete_tout_avant_le_premier_envoi() {
    let (port, recus, _) = serveur();
    let d = preparer(port);
    let mut contacts = std::fs::read_to_string(d.path().join("contacts.csv")).unwrap();
    contacts.push_str("92078;Villeneuve-la-Garenne;mairie-at-vlg\n");
    std::fs::write(d.path().join("contacts.csv"), contacts).unwrap();
    let sortie = envoyer(d.path(), &["--smtp"]);
    assert_eq!(sortie.status.code(), Some(1));
    assert!(
        stderr(&sortie).contains("contacts.csv:11:3: adresse électronique invalide (attendu une adresse de la forme nom@domaine.fr, trouvé « mairie-at-vlg »)"),
        "{}",
        stderr(&sortie)
    );
    assert!(recus.lock().unwrap().is_empty());
    assert!(!d.path().join("reports/envois/2020T4.json").exists());
}

/// Each commune's documents, by file name.
fn empreintes(d: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(d.join("reports/2020T4/communes"))
        .unwrap()
        .flatten()
        .map(|e| {
            let nom = e.file_name().to_string_lossy().into_owned();
            (nom, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The send log survives `--force`: an identical report re-run mails no
/// one; a revised report mails only the communes whose documents changed,
/// marked "Version rectificative", with what changed.
#[test]
fn une_commune_ne_recoit_jamais_deux_fois_les_memes_documents() {
    let (port, recus, _) = serveur();
    let d = preparer(port);
    assert!(envoyer(d.path(), &["--smtp"]).status.success());
    let premiers = recus.lock().unwrap().len();
    assert_eq!(premiers, 8);

    let force = commande(d.path(), "run", &["--force"]);
    assert!(force.status.success(), "{}", stderr(&force));
    let encore = envoyer(d.path(), &["--smtp"]);
    assert!(encore.status.success(), "{}", stderr(&encore));
    assert_eq!(recus.lock().unwrap().len(), 8, "mêmes documents renvoyés");

    // Bagneux's figure revised by the producer.
    let avant = empreintes(d.path());
    let chemin = d.path().join("demandeurs_emploi_2019T4-2020T4.csv");
    let export = std::fs::read_to_string(&chemin).unwrap().replace(
        "2020T4;commune;92007;Bagneux;;3300;",
        "2020T4;commune;92007;Bagneux;;3310;",
    );
    std::fs::write(&chemin, export).unwrap();
    let revise = commande(d.path(), "run", &["--force"]);
    assert!(revise.status.success(), "{}", stderr(&revise));
    let apres = empreintes(d.path());
    let changees: std::collections::BTreeSet<String> = apres
        .iter()
        .filter(|(nom, octets)| avant.get(*nom) != Some(octets))
        .map(|(nom, _)| nom[..5].to_string())
        .collect();
    assert!(changees.contains("92007"), "{changees:?}");
    assert!(changees.len() < 8, "{changees:?}");

    let rectifie = envoyer(d.path(), &["--smtp"]);
    assert!(rectifie.status.success(), "{}", stderr(&rectifie));
    let recus = recus.lock().unwrap();
    let nouveaux = &recus[8..];
    assert_eq!(nouveaux.len(), changees.len());
    for r in nouveaux {
        assert!(
            r.texte.contains("Subject: Version rectificative"),
            "{}",
            r.texte
        );
        assert!(r.texte.contains("Version rectificative n"), "{}", r.texte);
    }
    assert!(nouveaux
        .iter()
        .any(|r| r.texte.contains("92007-bagneux.pdf")));
    let journal: serde_json::Value = serde_json::from_slice(
        &std::fs::read(d.path().join("reports/envois/2020T4.json")).unwrap(),
    )
    .unwrap();
    let lignes = journal.as_array().unwrap();
    assert_eq!(lignes.len(), 8 + changees.len());
    assert!(lignes
        .iter()
        .all(|l| l["pieces_jointes"][0]["sha256"].as_str().unwrap().len() == 64));
}
