//! An attacker independent of the program's model (issue 30): from
//! `indicateurs.csv` and the QPV referential alone, as their
//! documentation describes them (docs/formats.md, docs/secret.md), the
//! linear programme a statistics office would write, solved here with its
//! own relations; its disclosures must be those `qpv-annexe audit` says.
//!
//! What it writes, per département, period and table (family, scheme,
//! indicator, category): a territory = its QPV part + its part outside QPV;
//! a commune's, an EPT's, the département's QPV part = the sum of its QPV
//! (of their parts in it, for a QPV on several communes); a QPV on several
//! communes = its parts; communes and EPT within the département,
//! communes within their EPT or EPCI; missions locales making up their
//! département; a scheme's categories making up its total; a public of job
//! seekers within all of them; published shares.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use good_lp::{microlp, variable, Expression, ProblemVariables, Solution, SolverModel, Variable};

use crate::commun::*;

/// A row of `indicateurs.csv`, by its documented columns.
#[derive(Debug, serde::Deserialize)]
struct Ligne {
    periode: String,
    niveau: String,
    code: String,
    indicateur: String,
    mesure: String,
    valeur: Option<f64>,
    statut: Option<String>,
    dispositif: Option<String>,
    categorie: Option<String>,
    code_commune: Option<String>,
    departement: Option<String>,
}

const PUBLICS: [&str; 6] = [
    "de_abc",
    "de_abc_moins_26",
    "de_abc_50_plus",
    "de_abc_longue_duree",
    "de_abc_infra_bac",
    "de_abc_sans_diplome",
];
const ML: [&str; 4] = [
    "jeunes_accompagnes",
    "entrees_gj",
    "entrees_pacea",
    "entrees_cej",
];

/// A count: table, level, code, commune (of a QPV's part), in QPV?
/// The table: département, period, family and indicator, category.
type Table = (String, String, String, String);
type Compte = (String, String, String, bool);

/// The referential: each QPV's communes, each commune's intercommunality
/// (level `ept` or `epci`, code): its EPT when it has one, else its EPCI.
struct Referentiel {
    qpv: BTreeMap<String, Vec<String>>,
    interco: BTreeMap<String, (String, String)>,
}

fn referentiel(chemin: &Path) -> Referentiel {
    let mut lecteur = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(chemin)
        .unwrap();
    let entete = lecteur.headers().unwrap().clone();
    let col = |n: &str| entete.iter().position(|c| c == n);
    let (q, c) = (col("code_qpv").unwrap(), col("code_commune").unwrap());
    let (ept, epci) = (col("code_ept"), col("siren_epci"));
    let mut r = Referentiel {
        qpv: BTreeMap::new(),
        interco: BTreeMap::new(),
    };
    for l in lecteur.records() {
        let l = l.unwrap();
        // A QPV on several communes may list them in one field: "92004; 92036".
        for commune in l[c].split(';').map(str::trim) {
            let communes = r.qpv.entry(l[q].to_string()).or_default();
            if !communes.iter().any(|x| x == commune) {
                communes.push(commune.to_string());
            }
            let de = |i: Option<usize>| i.map(|i| l[i].to_string()).filter(|x| !x.is_empty());
            let interco = match (de(ept), de(epci)) {
                (Some(e), _) => Some(("ept", e)),
                (None, Some(e)) => Some(("epci", e)),
                _ => None,
            };
            if let Some((n, e)) = interco {
                r.interco.insert(commune.to_string(), (n.to_string(), e));
            }
        }
    }
    r
}

/// The table and count a row is about, for the counts of people.
fn compte(l: &Ligne) -> Option<(Table, Compte)> {
    let (base, en_qpv) = match l.indicateur.strip_suffix("_qpv") {
        Some(b) => (b, l.niveau != "qpv"),
        None => (l.indicateur.as_str(), false),
    };
    let (famille, categorie) = match &l.dispositif {
        Some(d) => (
            format!("{d}|{base}"),
            l.categorie.clone().unwrap_or_default(),
        ),
        None if PUBLICS.contains(&base) => ("de".to_string(), base.to_string()),
        None if ML.contains(&base) => (base.to_string(), String::new()),
        None => return None,
    };
    let d = l.departement.clone()?;
    let commune = l.code_commune.clone().unwrap_or_default();
    Some((
        (d, l.periode.clone(), famille, categorie),
        (l.niveau.clone(), l.code.clone(), commune, en_qpv),
    ))
}

/// The programme of one table, its unknowns named.
#[derive(Default)]
struct Programme {
    variables: ProblemVariables,
    inconnues: BTreeMap<(Table, Compte), Variable>,
    publies: BTreeMap<(Table, Compte), f64>,
    /// The masked counts and the unpublished ones a reader can write.
    a_borner: BTreeSet<(Table, Compte)>,
    contraintes: Vec<good_lp::Constraint>,
}

impl Programme {
    fn terme(&mut self, k: &(Table, Compte)) -> Expression {
        if let Some(v) = self.publies.get(k) {
            return Expression::from(*v);
        }
        if !self.inconnues.contains_key(k) {
            self.a_borner.insert(k.clone());
            let v = self.variables.add(variable().min(0.0));
            self.inconnues.insert(k.clone(), v);
        }
        Expression::from(self.inconnues[k])
    }

    /// Whether a relation over `cles` says anything of the unknowns (one
    /// between published counts only is left out: a producer's total may
    /// differ from the sum of its parts).
    fn a_inconnue(&self, cles: &[&(Table, Compte)]) -> bool {
        cles.iter().any(|k| !self.publies.contains_key(*k))
    }

    fn somme(&mut self, total: &(Table, Compte), parties: &[(Table, Compte)]) {
        let cles: Vec<&(Table, Compte)> = std::iter::once(total).chain(parties).collect();
        if !self.a_inconnue(&cles) {
            return;
        }
        let t = self.terme(total);
        let mut s = Expression::from(0.0);
        for p in parties {
            s += self.terme(p);
        }
        self.contraintes.push((t - s).eq(0.0));
    }

    fn au_plus(&mut self, parties: &[(Table, Compte)], total: &(Table, Compte)) {
        let cles: Vec<&(Table, Compte)> = std::iter::once(total).chain(parties).collect();
        if !self.a_inconnue(&cles) {
            return;
        }
        let t = self.terme(total);
        let mut s = Expression::from(0.0);
        for p in parties {
            s += self.terme(p);
        }
        self.contraintes.push((s - t).leq(0.0));
    }
}

fn c(n: &str, code: &str, commune: &str, q: bool) -> Compte {
    (n.to_string(), code.to_string(), commune.to_string(), q)
}

/// Every relation of one table `t` whose published counts are `presents`.
fn relations(p: &mut Programme, t: &Table, presents: &BTreeSet<Compte>, r: &Referentiel) {
    let d = t.0.as_str();
    let k = |x: Compte| (t.clone(), x);
    let du_dep = |commune: &str| commune.starts_with(d);
    let qpv_du_dep: Vec<(&String, &Vec<String>)> = r
        .qpv
        .iter()
        .filter(|(_, cs)| cs.iter().any(|x| du_dep(x)))
        .collect();
    for x in presents.iter().filter(|x| x.0 != "qpv" && !x.3) {
        let en_qpv = c(&x.0, &x.1, "", true);
        if presents.contains(&en_qpv) {
            let hors = (
                x.0.clone(),
                format!("{}|hors_qpv", x.1),
                String::new(),
                false,
            );
            p.somme(&k(x.clone()), &[k(en_qpv), k(hors)]);
        }
    }
    if presents
        .iter()
        .all(|x| x.0 == "departement" || x.0 == "mission_locale")
    {
        sous_territoires(p, t, presents, r);
        return;
    }
    let dans = |commune: &str| -> Vec<Compte> {
        qpv_du_dep
            .iter()
            .filter(|(_, cs)| cs.iter().any(|x| x == commune))
            .map(|(q, cs)| c("qpv", q, if cs.len() > 1 { commune } else { "" }, false))
            .collect()
    };
    let communes: BTreeSet<&String> = qpv_du_dep
        .iter()
        .flat_map(|(_, cs)| cs.iter())
        .filter(|x| du_dep(x))
        .collect();
    for commune in &communes {
        if presents.contains(&c("commune", commune, "", true)) {
            p.somme(
                &k(c("commune", commune, "", true)),
                &dans(commune).into_iter().map(k).collect::<Vec<_>>(),
            );
        }
    }
    let intercos: BTreeSet<&(String, String)> =
        communes.iter().filter_map(|x| r.interco.get(*x)).collect();
    for e in intercos {
        if presents.contains(&c(&e.0, &e.1, "", true)) {
            let parties: Vec<_> = communes
                .iter()
                .filter(|x| r.interco.get(**x) == Some(e))
                .flat_map(|x| dans(x))
                .map(k)
                .collect();
            p.somme(&k(c(&e.0, &e.1, "", true)), &parties);
        }
    }
    if presents.contains(&c("departement", d, "", true)) {
        let parties: Vec<_> = qpv_du_dep
            .iter()
            .map(|(q, _)| k(c("qpv", q, "", false)))
            .collect();
        p.somme(&k(c("departement", d, "", true)), &parties);
    }
    for (q, cs) in qpv_du_dep.iter().filter(|(_, cs)| cs.len() > 1) {
        let parties: Vec<_> = cs.iter().map(|x| k(c("qpv", q, x, false))).collect();
        let utile = presents.contains(&c("qpv", q, "", false))
            || parties
                .iter()
                .any(|x| p.inconnues.contains_key(x) || p.publies.contains_key(x));
        if utile {
            p.somme(&k(c("qpv", q, "", false)), &parties);
        }
    }
    sous_territoires(p, t, presents, r);
}

/// The communes, EPT, EPCI and missions locales within (or, for missions
/// locales, making up) their département, communes within their EPT or
/// EPCI.
fn sous_territoires(p: &mut Programme, t: &Table, presents: &BTreeSet<Compte>, r: &Referentiel) {
    let d = t.0.as_str();
    let k = |x: Compte| (t.clone(), x);
    for en_qpv in [false, true] {
        let niveau = |n: &str| -> Vec<(Table, Compte)> {
            presents
                .iter()
                .filter(|x| x.0 == n && x.3 == en_qpv)
                .cloned()
                .map(k)
                .collect()
        };
        let dep = k(c("departement", d, "", en_qpv));
        if !presents.contains(&dep.1) {
            continue;
        }
        let ml = niveau("mission_locale");
        if !ml.is_empty() {
            p.somme(&dep, &ml);
        }
        for n in ["commune", "ept", "epci"] {
            let v = niveau(n);
            if !v.is_empty() {
                p.au_plus(&v, &dep);
            }
        }
        for e in [niveau("ept"), niveau("epci")].concat() {
            let siennes: Vec<_> = niveau("commune")
                .into_iter()
                .filter(|x| {
                    r.interco
                        .get(&x.1 .1)
                        .is_some_and(|(n, code)| *n == e.1 .0 && *code == e.1 .1)
                })
                .collect();
            if !siennes.is_empty() {
                p.au_plus(&siennes, &e);
            }
        }
    }
}

/// The categories of the tables of one département and period: a
/// scheme's make up its total, a public is within all job seekers.
fn categories(p: &mut Programme, comptes: &BTreeMap<Table, BTreeSet<Compte>>) {
    let mut sommes: BTreeMap<(Table, Compte), Vec<(Table, Compte)>> = BTreeMap::new();
    for (t, presents) in comptes {
        let total_de = if t.2 == "de" { "de_abc" } else { "" };
        if t.3.is_empty() || t.3 == total_de {
            continue;
        }
        let mut total = t.clone();
        total.3 = total_de.to_string();
        for x in presents
            .iter()
            .filter(|x| comptes.get(&total).is_some_and(|s| s.contains(*x)))
        {
            let (partie, tout) = ((t.clone(), x.clone()), (total.clone(), x.clone()));
            if t.2 == "de" {
                p.au_plus(&[partie], &tout);
            } else {
                sommes.entry(tout).or_default().push(partie);
            }
        }
    }
    for (total, parties) in sommes {
        p.somme(&total, &parties);
    }
}

/// What the attacker pins or narrows below `seuil`: each as
/// `niveau code indicateur` (a part outside QPV: `…_hors_qpv`).
fn divulgations(lignes: &[Ligne], r: &Referentiel, seuil: f64) -> BTreeSet<String> {
    let mut par_groupe: BTreeMap<(String, String), Programme> = BTreeMap::new();
    let mut comptes: BTreeMap<(String, String), BTreeMap<Table, BTreeSet<Compte>>> =
        BTreeMap::new();
    let mut parts = Vec::new();
    for l in lignes {
        let Some((t, x)) = compte(l) else { continue };
        let groupe = (t.0.clone(), t.1.clone());
        let p = par_groupe.entry(groupe.clone()).or_default();
        match (l.mesure.as_str(), l.valeur) {
            ("effectif", Some(v)) => {
                p.publies.insert((t.clone(), x.clone()), v);
            }
            ("effectif", None) => {
                if l.statut.as_deref() == Some("secret") {
                    p.a_borner.insert((t.clone(), x.clone()));
                }
                let v = p.variables.add(variable().min(0.0));
                p.inconnues.insert((t.clone(), x.clone()), v);
            }
            ("part", Some(v)) => parts.push((t.clone(), x.clone(), v)),
            _ => continue,
        }
        comptes
            .entry(groupe)
            .or_default()
            .entry(t)
            .or_default()
            .insert(x);
    }
    for (groupe, tables) in &comptes {
        let p = par_groupe.get_mut(groupe).unwrap();
        for (t, presents) in tables {
            relations(p, t, presents, r);
        }
        categories(p, tables);
    }
    for (t, x, v) in parts {
        let p = par_groupe.get_mut(&(t.0.clone(), t.1.clone())).unwrap();
        let mut total = t.clone();
        let denominateur = if t.2 == "de" && t.3 != "de_abc" {
            total.3 = "de_abc".into();
            (total, x.clone())
        } else if x.3 {
            (t.clone(), c(&x.0, &x.1, "", false))
        } else if x.0 == "qpv" && t.2 == "de" {
            (t.clone(), c("departement", &t.0, "", true))
        } else {
            continue;
        };
        let k = (t, x);
        let connus = p.publies.contains_key(&k) && p.publies.contains_key(&denominateur);
        let existent =
            |y: &(Table, Compte)| p.publies.contains_key(y) || p.inconnues.contains_key(y);
        if !connus && existent(&k) && existent(&denominateur) {
            let (n, dn) = (p.terme(&k), p.terme(&denominateur));
            p.contraintes.push((n - v * dn).eq(0.0));
        }
    }
    let mut trouvees = BTreeSet::new();
    for p in par_groupe.values() {
        for k in &p.a_borner {
            let (min, max) = bornes(p, p.inconnues[k]);
            let Some(max) = max else { continue };
            let complement = !p.inconnues.contains_key(k)
                || k.1 .1.ends_with("|hors_qpv")
                || !est_masque(lignes, k);
            let epingle = max - min < 1e-6;
            let petit = (1.0 - 1e-6..seuil - 1e-6).contains(&min);
            let resserre =
                !epingle && min < seuil - 1e-6 && max >= 1.0 - 1e-6 && max - min < seuil - 1e-6;
            if (epingle && (!complement || petit)) || resserre {
                trouvees.insert(nom(k));
            }
        }
    }
    trouvees
}

fn est_masque(lignes: &[Ligne], k: &(Table, Compte)) -> bool {
    lignes
        .iter()
        .any(|l| l.statut.as_deref() == Some("secret") && compte(l).as_ref() == Some(k))
}

/// `niveau code indicateur` as the audit writes them.
fn nom(k: &(Table, Compte)) -> String {
    let ((_, _, famille, categorie), (niveau, code, _, en_qpv)) = k;
    let (code, hors) = match code.strip_suffix("|hors_qpv") {
        Some(c) => (c, "_hors_qpv"),
        None => (code.as_str(), if *en_qpv { "_qpv" } else { "" }),
    };
    let indicateur = match famille.split_once('|') {
        Some((_, base)) => format!("{base}{hors}"),
        None if famille == "de" => format!("{categorie}{hors}"),
        None => format!("{famille}{hors}"),
    };
    format!("{niveau} {code} {indicateur}")
}

fn bornes(p: &Programme, v: Variable) -> (f64, Option<f64>) {
    let resoudre = |maximiser: bool| {
        let vars = p.variables.clone();
        let pb = if maximiser {
            vars.maximise(v)
        } else {
            vars.minimise(v)
        };
        let mut m = pb.using(microlp);
        for c in &p.contraintes {
            m = m.with(c.clone());
        }
        match m.solve() {
            Ok(s) => Some(s.value(v)),
            Err(good_lp::ResolutionError::Unbounded) => None,
            Err(e) => panic!("programme de l'attaquant : {e}"),
        }
    };
    (resoudre(false).unwrap_or(0.0), resoudre(true))
}

/// The counts the audit names as given away: `niveau code indicateur`.
fn selon_l_audit(dossier: &Path) -> BTreeSet<String> {
    let audit = commande(dossier, "audit", &[]);
    espaces_simples(&stderr(&audit))
        .lines()
        .filter_map(|l| {
            let reste = l.split_once("département ")?.1.split_once(" : ")?.1;
            let (territoire, reste) = reste.split_once(" (")?;
            let indicateur = reste.split_once(')')?.0.split(", ").next()?;
            let mut t = territoire.split(' ');
            Some(format!("{} {} {indicateur}", t.next()?, t.next()?))
        })
        .collect()
}

/// The attacker's disclosures on the report of `dossier`.
pub fn attaquer(dossier: &Path) -> BTreeSet<String> {
    let csv = dossier.join("reports/2020T4/indicateurs.csv");
    let mut lecteur = csv::Reader::from_path(csv).unwrap();
    let lignes: Vec<Ligne> = lecteur.deserialize().map(Result::unwrap).collect();
    let r = referentiel(&dossier.join("referentiel_qpv_2015.csv"));
    divulgations(&lignes, &r, 5.0)
}

#[test]
fn l_attaquant_et_l_audit_s_accordent_sur_l_exemple() {
    let d = copie_des_entrees();
    assert!(run(d.path()).status.success());
    assert!(attaquer(d.path()).is_empty());
    assert!(selon_l_audit(d.path()).is_empty());
}

/// Cité des Musiciens' 3 young job seekers, masked, and the complement
/// that protects them written back: both find it.
#[test]
fn l_attaquant_et_l_audit_trouvent_la_meme_divulgation() {
    let d = copie_des_entrees();
    sans_ensemble_qpv(d.path(), |l, c| {
        if l.starts_with("2020T4;qpv;QP092020;") {
            c[6] = "3";
        }
    });
    assert!(run(d.path()).status.success());
    let chemin = d.path().join("reports/2020T4/indicateurs.csv");
    let csv = std::fs::read_to_string(&chemin).unwrap();
    let masquee = "2020T4,qpv,QP092019,Tertres - Cuverons,de_abc_moins_26,effectif,,secret,";
    let remplie = "2020T4,qpv,QP092019,Tertres - Cuverons,de_abc_moins_26,effectif,45,,";
    assert!(csv.contains(masquee));
    std::fs::write(&chemin, csv.replace(masquee, remplie)).unwrap();
    let attaquant = attaquer(d.path());
    assert!(
        attaquant.contains("qpv QP092020 de_abc_moins_26"),
        "{attaquant:?}"
    );
    assert_eq!(attaquant, selon_l_audit(d.path()));
}

/// A mission locale whose young people in QPV are all but 2 of those it
/// accompanies, written so in the report: the part outside QPV, 2, is
/// given away; both say so.
#[test]
fn la_part_hors_qpv_d_une_mission_locale_est_vue_des_deux() {
    let d = copie_des_entrees();
    assert!(run(d.path()).status.success());
    let chemin = d.path().join("reports/2020T4/indicateurs.csv");
    let csv = std::fs::read_to_string(&chemin).unwrap();
    let ligne = |code: &str, ind: &str| {
        csv.lines()
            .find(|l| {
                l.starts_with(&format!("2020,{code}")) && l.contains(&format!(",{ind},effectif,"))
            })
            .unwrap()
            .to_string()
    };
    let tout = ligne("mission_locale,ML92001", "jeunes_accompagnes");
    let qpv = ligne("mission_locale,ML92001", "jeunes_accompagnes_qpv");
    let dep = ligne("departement,92", "jeunes_accompagnes_qpv");
    let valeur = |l: &str| l.split(',').nth(6).unwrap().parse::<f64>().unwrap();
    let ecart = valeur(&tout) - 2.0 - valeur(&qpv);
    let remplacer = |l: &str| {
        let mut f: Vec<String> = l.split(',').map(String::from).collect();
        f[6] = (valeur(l) + ecart).to_string();
        f.join(",")
    };
    let nouveau = csv
        .replace(&qpv, &remplacer(&qpv))
        .replace(&dep, &remplacer(&dep));
    // Its share in QPV, now wrong, left out.
    let nouveau: String = nouveau
        .lines()
        .filter(|l| !(l.starts_with("2020,") && l.contains("jeunes_accompagnes_qpv,part")))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&chemin, nouveau).unwrap();
    let attaquant = attaquer(d.path());
    assert!(
        attaquant.contains("mission_locale ML92001 jeunes_accompagnes_hors_qpv"),
        "{attaquant:?}"
    );
    assert_eq!(attaquant, selon_l_audit(d.path()));
}

/// Protection off (`--interne`), the internal report audited as if it
/// were published, on random départements with every family: the
/// attacker and the audit find the same small parts outside QPV, QPV
/// parts and categories.
#[test]
fn sans_protection_l_attaquant_et_l_audit_trouvent_les_memes_divulgations() {
    let mut vues = 0;
    for graine in [
        1740269425650650571,
        10742482934048376584,
        5347946804024373573,
        7,
    ] {
        let d = tempfile::tempdir().unwrap();
        crate::secret_aleatoire::departement_au_hasard(d.path(), graine, (3, 5), graine % 2 == 0);
        let interne = commande(d.path(), "run", &["--interne"]);
        assert!(interne.status.success(), "{}", stderr(&interne));
        let publie = d.path().join("reports/2020T4");
        std::fs::create_dir_all(&publie).unwrap();
        std::fs::rename(
            d.path()
                .join("reports/2020T4-interne/indicateurs-interne.csv"),
            publie.join("indicateurs.csv"),
        )
        .unwrap();
        let attaquant = attaquer(d.path());
        assert_eq!(attaquant, selon_l_audit(d.path()), "graine {graine}");
        vues += attaquant.len();
    }
    assert!(vues > 0);
}
