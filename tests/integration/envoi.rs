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
    let d = preparer_sans_run(port);
    assert!(run(d.path()).status.success());
    d
}

/// The sample inputs, sending to the test's server on `port`.
fn preparer_sans_run(port: u16) -> tempfile::TempDir {
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
    let revise = commande(
        d.path(),
        "run",
        &["--force", "--date-rectificative", "2026-12-03"],
    );
    assert!(revise.status.success(), "{}", stderr(&revise));
    let apres = empreintes(d.path());
    let changees: std::collections::BTreeSet<String> = apres
        .iter()
        .filter(|(nom, octets)| avant.get(*nom) != Some(octets))
        .map(|(nom, _)| nom[..5].to_string())
        .collect();
    assert!(changees.contains("92007"), "{changees:?}");
    assert!(changees.len() < 8, "{changees:?}");
    let inchange = apres
        .keys()
        .find(|nom| nom.ends_with(".pdf") && !changees.contains(&nom[..5]))
        .unwrap();
    documents_marques(&d.path().join("reports/2020T4"), inchange);
    // The timer fires again on the same exports: up to date, although the
    // history the rectified run rewrote no longer differs from them.
    let rapports = d.path().join("reports");
    let etat = etat_des_fichiers(&rapports);
    let encore = run(d.path());
    assert!(encore.status.success(), "{}", stderr(&encore));
    assert!(stderr(&encore).contains("à jour"), "{}", stderr(&encore));
    assert_eq!(
        etat,
        etat_des_fichiers(&rapports),
        "un fichier a été réécrit"
    );

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
        assert!(
            espaces_simples(&imprimable(&r.texte))
                .contains("Version rectificative n° 1 du 3 décembre 2026"),
            "{}",
            r.texte
        );
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

/// A message's text with its quoted-printable parts decoded (soft line
/// breaks joined, `=C3=A9` → `é`).
fn imprimable(texte: &str) -> String {
    let joint = texte.replace("=\r\n", "").replace("=\n", "");
    let mut octets = Vec::new();
    let mut reste = joint.as_bytes();
    while let Some((&o, suite)) = reste.split_first() {
        let hexa = suite.get(..2).and_then(|h| std::str::from_utf8(h).ok());
        match hexa.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(v) if o == b'=' => {
                octets.push(v);
                reste = &suite[2..];
            }
            _ => {
                octets.push(o);
                reste = suite;
            }
        }
    }
    String::from_utf8_lossy(&octets).into_owned()
}

/// The rectified report's documents: Bagneux's workbook and page, and the
/// département's workbook, say the version's number and date; a commune
/// the revision did not change keeps its original documents, unmarked.
fn documents_marques(rapport: &std::path::Path, inchange: &str) {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let marque = "Version rectificative n° 1 du 3 décembre 2026";
    let pdf = pdf_extract::extract_text(rapport.join("communes/92007-bagneux.pdf")).unwrap();
    assert!(espaces_simples(&pdf).contains(marque), "{pdf}");
    for (classeur, feuille) in [
        ("communes/92007-bagneux.xlsx", "Commune"),
        ("annexe-92-2020T4.xlsx", "Synthèse"),
    ] {
        let mut c: Xlsx<_> = open_workbook(rapport.join(classeur)).unwrap();
        let cellule = c.worksheet_range(feuille).unwrap().get((3, 0)).cloned();
        assert!(
            matches!(&cellule, Some(Data::String(t)) if espaces_simples(t).starts_with(marque)),
            "{classeur} : {cellule:?}"
        );
    }
    let manifeste: serde_json::Value =
        serde_json::from_slice(&std::fs::read(rapport.join("manifest.json")).unwrap()).unwrap();
    let sorties = manifeste["sorties"].as_array().unwrap();
    let de = |nom: &str| {
        sorties
            .iter()
            .find(|s| s["fichier"] == nom)
            .map(|s| s["version_rectificative"].clone())
            .unwrap()
    };
    assert_eq!(de("communes/92007-bagneux.pdf")["numero"], 1);
    assert_eq!(de("communes/92007-bagneux.pdf")["date"], "2026-12-03");
    assert!(de(&format!("communes/{inchange}")).is_null());
    let texte = pdf_extract::extract_text(rapport.join("communes").join(inchange)).unwrap();
    assert!(!texte.contains("rectificative"), "{texte}");
}

/// Four quarters in one folder, as the operator lives them with the
/// scheduled `run` then `send --smtp` and a `conseil.toml` never touched:
/// each quarter's export dropped in (the older ones moved away), runs that
/// rewrite nothing, each commune mailed once per version, a revision
/// refused until `--force`, then mailed to the commune it changes only.
#[test]
fn quatre_trimestres_comme_un_operateur() {
    let (port, recus, _) = serveur();
    let d = preparer_sans_run(port);
    let source = "demandeurs_emploi_2019T4-2020T4.csv";
    let toutes = std::fs::read_to_string(d.path().join(source)).unwrap();
    std::fs::remove_file(d.path().join(source)).unwrap();
    let retires = tempfile::tempdir().unwrap();
    let deposer = |nom: &str, trimestres: &[&str]| {
        let mut texte = format!("{}\n", toutes.lines().next().unwrap());
        for l in toutes
            .lines()
            .filter(|l| trimestres.iter().any(|t| l.starts_with(&format!("{t};"))))
        {
            texte.push_str(&format!("{l}\n"));
        }
        std::fs::write(d.path().join(nom), texte).unwrap();
    };
    let retirer =
        |nom: &str| std::fs::rename(d.path().join(nom), retires.path().join(nom)).unwrap();
    let recus_en_tout = || recus.lock().unwrap().len();

    // 2020T1, with the quarter before it.
    deposer("demandeurs_emploi_2020T1.csv", &["2019T4", "2020T1"]);
    let t1 = run(d.path());
    assert!(t1.status.success(), "{}", stderr(&t1));
    assert!(
        stderr(&t1).contains("(2020T1), le dernier des exports"),
        "{}",
        stderr(&t1)
    );
    let rapports = d.path().join("reports");
    let avant = etat_des_fichiers(&rapports);
    let encore = run(d.path());
    assert!(encore.status.success());
    assert!(
        stderr(&encore).contains("Rapport 2020T1 à jour"),
        "{}",
        stderr(&encore)
    );
    assert_eq!(
        avant,
        etat_des_fichiers(&rapports),
        "un fichier a été réécrit"
    );
    assert!(envoyer(d.path(), &["--smtp"]).status.success());
    assert_eq!(recus_en_tout(), 8);

    // 2020T2: its export alone, the older one moved away; the quarterly
    // evolution comes from the history.
    retirer("demandeurs_emploi_2020T1.csv");
    deposer("demandeurs_emploi_2020T2.csv", &["2020T2"]);
    let t2 = run(d.path());
    assert!(t2.status.success(), "{}", stderr(&t2));
    let csv = std::fs::read_to_string(rapports.join("2020T2/indicateurs.csv")).unwrap();
    assert!(
        csv.lines().any(|l| l
            .starts_with("2020T2,departement,92,Hauts-de-Seine,de_abc,evolution_trimestrielle,0.")),
        "{csv}"
    );
    assert!(envoyer(d.path(), &["--smtp"]).status.success());
    assert_eq!(recus_en_tout(), 16, "chaque commune une fois pour 2020T2");

    // An identical forced re-run, then send: no mail.
    assert!(commande(d.path(), "run", &["--force"]).status.success());
    assert!(envoyer(d.path(), &["--smtp"]).status.success());
    assert_eq!(recus_en_tout(), 16);

    // The producer revises Bagneux: refused (code 6), nothing written.
    let export = d.path().join("demandeurs_emploi_2020T2.csv");
    let texte = std::fs::read_to_string(&export).unwrap();
    let ligne = texte
        .lines()
        .find(|l| l.starts_with("2020T2;commune;92007;"))
        .unwrap();
    let champs: Vec<&str> = ligne.split(';').collect();
    let revise = format!("{};{}", champs[..5].join(";"), {
        let mut reste: Vec<String> = champs[5..].iter().map(|s| s.to_string()).collect();
        reste[0] = (reste[0].parse::<u32>().unwrap() + 10).to_string();
        reste.join(";")
    });
    std::fs::write(&export, texte.replace(ligne, &revise)).unwrap();
    let avant = etat_des_fichiers(&rapports);
    let refuse = run(d.path());
    assert_eq!(refuse.status.code(), Some(6), "{}", stderr(&refuse));
    assert!(stderr(&refuse).contains("Bagneux"), "{}", stderr(&refuse));
    assert_eq!(
        avant,
        etat_des_fichiers(&rapports),
        "un fichier a été réécrit"
    );
    let force = commande(d.path(), "run", &["--force"]);
    assert!(force.status.success(), "{}", stderr(&force));
    assert!(rapports.join("archives/2020T2-1/indicateurs.csv").is_file());
    assert!(envoyer(d.path(), &["--smtp"]).status.success());
    {
        let recus = recus.lock().unwrap();
        let rectifies = &recus[16..];
        assert!(
            !rectifies.is_empty() && rectifies.len() < 8,
            "{}",
            rectifies.len()
        );
        assert!(rectifies
            .iter()
            .all(|r| r.texte.contains("Subject: Version rectificative")));
        assert!(rectifies
            .iter()
            .any(|r| r.texte.contains("92007-bagneux.pdf")));
    }
    let apres_revision = recus_en_tout();

    // 2020T3 and 2020T4, each export alone; 2020T4's evolution over a year
    // reaches 2019T4, long moved away, through the history.
    for (trimestre, precedent) in [("2020T3", "2020T2"), ("2020T4", "2020T3")] {
        retirer(&format!("demandeurs_emploi_{precedent}.csv"));
        deposer(&format!("demandeurs_emploi_{trimestre}.csv"), &[trimestre]);
        let sortie = run(d.path());
        assert!(sortie.status.success(), "{}", stderr(&sortie));
        assert!(rapports
            .join(trimestre)
            .join(format!("annexe-92-{trimestre}.pdf"))
            .is_file());
        assert!(envoyer(d.path(), &["--smtp"]).status.success());
    }
    assert_eq!(recus_en_tout(), apres_revision + 16);
    let csv = std::fs::read_to_string(rapports.join("2020T4/indicateurs.csv")).unwrap();
    assert!(
        csv.lines().any(|l| l.starts_with(
            "2020T4,departement,92,Hauts-de-Seine,de_abc,evolution_annuelle,0.0930206636371431,"
        )),
        "{csv}"
    );
    // Sending again: nothing.
    assert!(envoyer(d.path(), &["--smtp"]).status.success());
    assert_eq!(recus_en_tout(), apres_revision + 16);
}
