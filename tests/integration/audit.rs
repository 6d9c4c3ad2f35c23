//! `qpv-annexe audit`: the attacker's linear programme over a published
//! report.

use crate::commun::*;

fn auditer(dossier: &std::path::Path) -> std::process::Output {
    commande(dossier, "audit", &[])
}

#[test]
fn le_rapport_de_l_exemple_passe_l_audit() {
    let d = copie_des_entrees();
    let sortie = run(d.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let audit = auditer(d.path());
    assert!(audit.status.success(), "{}", stderr(&audit));
    assert!(stderr(&audit).contains("aucun chiffre masqué ne se déduit"));
}

#[test]
fn un_audit_sans_rapport_le_dit() {
    let d = copie_des_entrees();
    let audit = auditer(d.path());
    assert_eq!(audit.status.code(), Some(2), "{}", stderr(&audit));
    assert!(stderr(&audit).contains("lancez d'abord « qpv-annexe run »"));
}

/// The sample with 3 young people in Cité des Musiciens (Bagneux), the
/// producer's QPV total left out. Masking relation by relation (the
/// primary count, then Cité Jardins, the only QPV of Châtenay-Malabry, and
/// Châtenay-Malabry's figure in QPV) left Cité Jardins recoverable exactly
/// through the EPT Vallée Sud, whose figure in QPV is published with those
/// of its other communes. The global suppression masks Bagneux's other QPV
/// (Tertres - Cuverons, 45) and publishes again the complements of the
/// relation-by-relation pass that are then not needed: two counts masked,
/// and the audit passes.
fn jeunes_de_la_cite_des_musiciens(dossier: &std::path::Path) {
    sans_ensemble_qpv(dossier, |l, c| {
        if l.starts_with("2020T4;qpv;QP092020;") {
            c[6] = "3";
        }
    });
}

/// The rows of `indicateurs.csv` masked for `indicateur`'s count.
fn secrets(dossier: &std::path::Path, indicateur: &str) -> Vec<String> {
    let csv = std::fs::read_to_string(dossier.join("reports/2020T4/indicateurs.csv")).unwrap();
    csv.lines()
        .filter(|l| l.contains(&format!(",{indicateur},effectif,,secret,")))
        .map(|l| l.split(',').take(3).collect::<Vec<_>>().join(","))
        .collect()
}

#[test]
fn le_masquage_global_protege_ce_que_le_masquage_relation_par_relation_laissait_deduire() {
    let d = copie_des_entrees();
    jeunes_de_la_cite_des_musiciens(d.path());
    let sortie = run(d.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let audit = auditer(d.path());
    assert!(audit.status.success(), "{}", stderr(&audit));
    assert_eq!(
        secrets(d.path(), "de_abc_moins_26"),
        ["2020T4,qpv,QP092019", "2020T4,qpv,QP092020"]
    );
    assert!(secrets(d.path(), "de_abc_moins_26_qpv").is_empty());
    // Nothing else of the quarter is masked.
    let csv = std::fs::read_to_string(d.path().join("reports/2020T4/indicateurs.csv")).unwrap();
    assert_eq!(csv.matches(",effectif,,secret,").count(), 2);
}

/// Tertres - Cuverons' young people, masked as a complement, and the same
/// row with its count (45) written back.
fn tertres_cuverons() -> (&'static str, &'static str) {
    (
        "2020T4,qpv,QP092019,Tertres - Cuverons,de_abc_moins_26,effectif,,secret,",
        "2020T4,qpv,QP092019,Tertres - Cuverons,de_abc_moins_26,effectif,45,,",
    )
}

/// The same report with Tertres - Cuverons' count (45, the complementary
/// cell) written back by hand: the primary count of Cité des Musiciens is
/// Bagneux's figure in QPV less it, and the audit says so.
#[test]
fn l_audit_refuse_un_rapport_dont_une_case_complementaire_a_ete_remplie() {
    let d = copie_des_entrees();
    jeunes_de_la_cite_des_musiciens(d.path());
    assert!(run(d.path()).status.success());
    let chemin = d.path().join("reports/2020T4/indicateurs.csv");
    let csv = std::fs::read_to_string(&chemin).unwrap();
    let (masquee, remplie) = tertres_cuverons();
    assert!(csv.contains(masquee));
    std::fs::write(&chemin, csv.replace(masquee, remplie)).unwrap();
    let audit = auditer(d.path());
    assert_eq!(audit.status.code(), Some(1), "{}", stderr(&audit));
    let message = espaces_simples(&stderr(&audit));
    assert!(
        message.contains(
            "département 92 : qpv QP092020 (de_abc_moins_26), masqué, se déduit des chiffres publiés : 3"
        ),
        "{message}"
    );
    assert!(message.contains("le secret statistique n'est pas assuré"));
}

/// `run` audits the staged report before publishing it: a staged report
/// altered so that a masked count is given away (Tertres - Cuverons written back
/// while the run waits, `QPV_ANNEXE_PAUSE_MS`) is refused, exit 1, the
/// counts named, nothing published and no staging folder left.
#[test]
fn run_refuse_de_publier_un_rapport_qui_ne_passe_pas_l_audit() {
    let d = copie_des_entrees();
    jeunes_de_la_cite_des_musiciens(d.path());
    let rapports = d.path().join("reports");
    let config = d.path().join("conseil.toml");
    let enfant = std::process::Command::new(env!("CARGO_BIN_EXE_qpv-annexe"))
        .args(["run", "--config", config.to_str().unwrap()])
        .args(["--reports", rapports.to_str().unwrap()])
        .env("QPV_ANNEXE_PAUSE_MS", "3000")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let chantier = chantier_pret(&rapports);
    let chemin = chantier.join("indicateurs.csv");
    let csv = std::fs::read_to_string(&chemin).unwrap();
    let (masquee, remplie) = tertres_cuverons();
    assert!(csv.contains(masquee));
    std::fs::write(&chemin, csv.replace(masquee, remplie)).unwrap();
    let sortie = enfant.wait_with_output().unwrap();
    assert_eq!(sortie.status.code(), Some(1), "{}", stderr(&sortie));
    let message = espaces_simples(&stderr(&sortie));
    assert!(
        message.contains("qpv QP092020 (de_abc_moins_26), masqué, se déduit"),
        "{message}"
    );
    assert!(message.contains("rien n'est publié"), "{message}");
    // Nothing but the lock of the reports folder.
    let restes: Vec<_> = std::fs::read_dir(&rapports)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != ".verrou")
        .collect();
    assert!(restes.is_empty(), "{restes:?}");
}

/// An internal report masks nothing: `run --interne` does not audit it,
/// and says so.
#[test]
fn le_rapport_interne_n_est_pas_audite_et_le_dit() {
    let d = copie_des_entrees();
    let sortie = commande(d.path(), "run", &["--interne"]);
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    assert!(
        stderr(&sortie).contains("Rapport interne : sans secret statistique, il n'est pas audité"),
        "{}",
        stderr(&sortie)
    );
}

/// The row of `indicateurs.csv` of the 2020T4 report beginning with
/// `debut`.
fn ligne(dossier: &std::path::Path, debut: &str) -> String {
    let csv = std::fs::read_to_string(dossier.join("reports/2020T4/indicateurs.csv")).unwrap();
    csv.lines()
        .find(|l| l.starts_with(debut))
        .unwrap_or_else(|| panic!("{debut} absent"))
        .to_string()
}

/// 3 young people in Cité des Musiciens in 2020T3, masked in the 2020T3
/// report, then the 2020T4 report (37 young people): its quarterly
/// evolution on that count is masked, and the audit reads both reports.
/// Written back by hand (37 / 3 − 1), the evolution gives the 2020T3
/// count away, and the audit, reading the 2020T3 report published under
/// `--reports`, says so.
#[test]
fn l_audit_lit_le_rapport_du_trimestre_precedent() {
    let d = copie_des_entrees();
    sans_ensemble_qpv(d.path(), |l, c| {
        if l.starts_with("2020T3;qpv;QP092020;") {
            c[6] = "3";
        }
    });
    let t3 = commande(d.path(), "run", &["--periode", "2020T3"]);
    assert!(t3.status.success(), "{}", stderr(&t3));
    let t4 = run(d.path());
    assert!(t4.status.success(), "{}", stderr(&t4));
    let debut = "2020T4,qpv,QP092020,Cité des Musiciens,de_abc_moins_26,evolution_trimestrielle,";
    assert!(ligne(d.path(), debut).contains(",,secret,"));
    assert!(auditer(d.path()).status.success());

    let csv_t4 = d.path().join("reports/2020T4/indicateurs.csv");
    let csv = std::fs::read_to_string(&csv_t4).unwrap();
    let masquee = format!("{debut},secret,");
    let remplie = format!("{debut}{},,", 37.0 / 3.0 - 1.0);
    std::fs::write(&csv_t4, csv.replace(&format!("{debut},secret,"), &remplie)).unwrap();
    assert!(csv.contains(&masquee));
    let audit = auditer(d.path());
    assert_eq!(audit.status.code(), Some(1), "{}", stderr(&audit));
    let message = espaces_simples(&stderr(&audit));
    assert!(
        message.contains(
            "département 92 : qpv QP092020 (de_abc_moins_26), masqué, se déduit des chiffres publiés : 3 (période 2020T3)"
        ),
        "{message}"
    );
    // The 2020T3 report alone (`--periode`) passes.
    let seul = commande(d.path(), "audit", &["--periode", "2020T3"]);
    assert!(seul.status.success(), "{}", stderr(&seul));
}

/// The 2020T3 report masked Cité des Musiciens' 3 young people; the
/// export of 2020T4 revises that quarter to 30, which this run would not
/// mask. The evolution from 2020T3 stays masked all the same: published,
/// with the 2020T4 count, it would tie the count masked last quarter to
/// this quarter's figures.
#[test]
fn une_evolution_sur_un_effectif_masque_au_trimestre_precedent_reste_masquee() {
    let d = copie_des_entrees();
    sans_ensemble_qpv(d.path(), |l, c| {
        if l.starts_with("2020T3;qpv;QP092020;") {
            c[6] = "3";
        }
    });
    assert!(commande(d.path(), "run", &["--periode", "2020T3"])
        .status
        .success());
    sans_ensemble_qpv(d.path(), |l, c| {
        if l.starts_with("2020T3;qpv;QP092020;") {
            c[6] = "30";
        }
    });
    let t4 = run(d.path());
    assert!(t4.status.success(), "{}", stderr(&t4));
    let debut = "2020T4,qpv,QP092020,Cité des Musiciens,de_abc_moins_26,evolution_trimestrielle,";
    assert!(
        ligne(d.path(), debut).contains(",,secret,"),
        "{}",
        ligne(d.path(), debut)
    );
    // Its annual evolution, on a count published a year before, is not.
    let annuelle = "2020T4,qpv,QP092020,Cité des Musiciens,de_abc_moins_26,evolution_annuelle,";
    assert!(!ligne(d.path(), annuelle).contains("secret"));
    assert!(auditer(d.path()).status.success());
}
