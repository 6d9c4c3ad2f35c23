//! The attacker's audit (DOMAIN.md, "Outputs", secrecy): everything a
//! report publishes is a linear problem whose unknowns are its masked
//! counts, all non-negative. For each masked count, linear programming
//! gives the smallest and largest value consistent with what is published;
//! a masked count pinned to one value, or one that may be a primary count
//! (1 to `seuil − 1`) bounded within an interval narrower than `seuil`, is
//! a disclosure.
//!
//! The problem is solved with `good_lp` and its pure-Rust solver `microlp`
//! (no C++ build). It is small: a département's masked counts and the
//! relations between the counts of one quarter.

use good_lp::{microlp, variable, Expression, ProblemVariables, ResolutionError, Solution};
use good_lp::{SolverModel, Variable};
use std::collections::BTreeSet;

/// One term of a relation: `coefficient × count`.
pub type Terme = (usize, f64);

/// What a report publishes, as a linear problem over its counts.
#[derive(Debug, Clone, Default)]
pub struct Publie {
    /// Each count: its published value, `None` when masked.
    pub cases: Vec<Option<f64>>,
    /// Relations `Σ coefficient × count = constante` (a total and its
    /// parts, a share with its numerator and denominator…).
    pub egalites: Vec<(Vec<Terme>, f64)>,
    /// Relations `Σ coefficient × count ≤ constante` (a public within its
    /// total…).
    pub inegalites: Vec<(Vec<Terme>, f64)>,
    /// The unpublished complements a reader can write (a part outside
    /// QPV, the part of an intercommunal QPV): never published, so known
    /// exactly they give nothing away unless they are small counts.
    pub libres: BTreeSet<usize>,
}

impl Publie {
    /// A new count; its index.
    pub fn case(&mut self, valeur: Option<f64>) -> usize {
        self.cases.push(valeur);
        self.cases.len() - 1
    }

    /// `total = Σ parties`.
    pub fn somme(&mut self, total: usize, parties: &[usize]) {
        let mut termes = vec![(total, 1.0)];
        termes.extend(parties.iter().map(|&p| (p, -1.0)));
        self.egalites.push((termes, 0.0));
    }

    /// `partie ≤ tout`.
    pub fn au_plus(&mut self, partie: usize, tout: usize) {
        self.inegalites
            .push((vec![(partie, 1.0), (tout, -1.0)], 0.0));
    }

    /// `autre`'s counts and relations added to these (two quarters'
    /// reports read together); the index of its first count here.
    pub fn joindre(&mut self, autre: &Publie) -> usize {
        let decalage = self.cases.len();
        let decaler = |(termes, c): &(Vec<Terme>, f64)| {
            let t: Vec<Terme> = termes.iter().map(|&(i, a)| (i + decalage, a)).collect();
            (t, *c)
        };
        self.cases.extend(&autre.cases);
        self.libres
            .extend(autre.libres.iter().map(|i| i + decalage));
        self.egalites.extend(autre.egalites.iter().map(decaler));
        self.inegalites.extend(autre.inegalites.iter().map(decaler));
        decalage
    }

    /// The independent systems this one is made of: counts that no
    /// relation ties, directly or through others, are separate problems
    /// (two schemes, two indicators…). Each with the index here of its
    /// counts, in order; the parts in the order of their first count.
    pub fn independants(&self) -> Vec<(Vec<usize>, Publie)> {
        let mut parent: Vec<usize> = (0..self.cases.len()).collect();
        for (termes, _) in self.egalites.iter().chain(&self.inegalites) {
            let mut indices = termes.iter().map(|&(i, _)| i);
            let Some(premier) = indices.next() else {
                continue;
            };
            for i in indices {
                let (a, b) = (racine(&mut parent, premier), racine(&mut parent, i));
                parent[a.max(b)] = a.min(b);
            }
        }
        let mut parties: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
        for i in 0..self.cases.len() {
            parties.entry(racine(&mut parent, i)).or_default().push(i);
        }
        let mut ici = vec![0; self.cases.len()];
        for membres in parties.values() {
            for (k, &i) in membres.iter().enumerate() {
                ici[i] = k;
            }
        }
        let mut sorties: Vec<(Vec<usize>, Publie)> = parties
            .values()
            .map(|membres| {
                let partie = Publie {
                    cases: membres.iter().map(|&i| self.cases[i]).collect(),
                    libres: membres
                        .iter()
                        .enumerate()
                        .filter(|(_, i)| self.libres.contains(i))
                        .map(|(k, _)| k)
                        .collect(),
                    ..Publie::default()
                };
                (membres.clone(), partie)
            })
            .collect();
        let position: std::collections::HashMap<usize, usize> =
            parties.keys().enumerate().map(|(k, &r)| (r, k)).collect();
        let mut ranger = |relations: &[(Vec<Terme>, f64)], egalite: bool| {
            for (termes, c) in relations {
                let Some(&(premier, _)) = termes.first() else {
                    continue;
                };
                let k = position[&racine(&mut parent, premier)];
                let t: Vec<Terme> = termes.iter().map(|&(i, a)| (ici[i], a)).collect();
                let partie = &mut sorties[k].1;
                if egalite {
                    partie.egalites.push((t, *c));
                } else {
                    partie.inegalites.push((t, *c));
                }
            }
        };
        ranger(&self.egalites, true);
        ranger(&self.inegalites, false);
        sorties
    }

    /// `numerateur = part × denominateur` (a published share).
    pub fn part(&mut self, numerateur: usize, denominateur: usize, part: f64) {
        self.egalites
            .push((vec![(numerateur, 1.0), (denominateur, -part)], 0.0));
    }
}

/// What a reader can learn of one masked count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Encadrement {
    pub case: usize,
    pub min: f64,
    /// `None` when nothing bounds it from above.
    pub max: Option<f64>,
    /// An unpublished complement ([`Publie::libres`]).
    pub libre: bool,
}

/// A masked count that the published figures give away.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Faille {
    /// Its value is known.
    Epinglee { case: usize, valeur: f64 },
    /// It may be a primary count and is known within less than `seuil`.
    Resserree { case: usize, min: f64, max: f64 },
}

impl Faille {
    /// The count given away.
    pub fn case(&self) -> usize {
        match *self {
            Faille::Epinglee { case, .. } | Faille::Resserree { case, .. } => case,
        }
    }
}

/// Two bounds closer than this are one value (the counts are whole; the
/// solver's arithmetic is not exact).
const EPSILON: f64 = 1e-6;

/// The problem over the masked counts only: a published count is a
/// constant.
struct Modele {
    variables: ProblemVariables,
    /// The variable of each count, `None` for a published one.
    de_la_case: Vec<Option<Variable>>,
    contraintes: Vec<good_lp::Constraint>,
}

impl Modele {
    /// The problem over the unknowns `garder` says (one connected part of
    /// the system: the relations that hold one hold only such unknowns).
    fn new(p: &Publie, garder: &dyn Fn(usize) -> bool) -> Modele {
        let mut variables = ProblemVariables::new();
        let de_la_case: Vec<Option<Variable>> = p
            .cases
            .iter()
            .enumerate()
            .map(|(i, c)| match c {
                None if garder(i) => Some(variables.add(variable().min(0.0))),
                _ => None,
            })
            .collect();
        let membre = |termes: &[Terme]| -> (Expression, f64) {
            let mut expression = Expression::from(0.0);
            let mut constante = 0.0;
            for &(i, a) in termes {
                match (de_la_case[i], p.cases[i]) {
                    (Some(v), _) => expression += a * v,
                    (None, Some(x)) => constante += a * x,
                    (None, None) => {}
                }
            }
            (expression, constante)
        };
        // A relation between published counts only tells nothing of the
        // unknowns; left out, so that the rounding of a published share
        // does not make the problem infeasible.
        let a_inconnue = |termes: &[Terme]| termes.iter().any(|&(i, _)| de_la_case[i].is_some());
        debug_assert!(p
            .egalites
            .iter()
            .chain(&p.inegalites)
            .all(|(t, _)| !a_inconnue(t)
                || t.iter()
                    .all(|&(i, _)| p.cases[i].is_some() || de_la_case[i].is_some())));
        let mut contraintes = Vec::new();
        for (termes, c) in p.egalites.iter().filter(|(t, _)| a_inconnue(t)) {
            let (e, k) = membre(termes);
            contraintes.push(e.eq(c - k));
        }
        for (termes, c) in p.inegalites.iter().filter(|(t, _)| a_inconnue(t)) {
            let (e, k) = membre(termes);
            contraintes.push(e.leq(c - k));
        }
        Modele {
            variables,
            de_la_case,
            contraintes,
        }
    }

    /// The optimum of `v` (its minimum, or its maximum with `maximiser`);
    /// `None` when unbounded.
    fn optimum(&self, v: Variable, maximiser: bool) -> Result<Option<f64>, ResolutionError> {
        let variables = self.variables.clone();
        let probleme = if maximiser {
            variables.maximise(v)
        } else {
            variables.minimise(v)
        };
        let mut modele = probleme.using(microlp);
        for c in &self.contraintes {
            modele = modele.with(c.clone());
        }
        match modele.solve() {
            Ok(s) => Ok(Some(s.value(v))),
            Err(ResolutionError::Unbounded) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// The interval of every masked count given everything published (the
/// unit tests' view).
#[cfg(test)]
fn encadrer(p: &Publie) -> Result<Vec<Encadrement>, ResolutionError> {
    let masquees: Vec<usize> = (0..p.cases.len()).collect();
    encadrer_parmi(p, &masquees)
}

/// The interval of the masked counts among `cases` given everything
/// published (the others, unknowns too, are not bounded: two solves saved
/// for each). An error when the published figures contradict one another
/// (infeasible).
pub fn encadrer_parmi(p: &Publie, cases: &[usize]) -> Result<Vec<Encadrement>, ResolutionError> {
    let deduites = deduites(p);
    let inconnue = |i: usize| p.cases.get(i).is_some_and(Option::is_none);
    // The others are solved part by part of the system: the unknowns no
    // relation ties are independent problems, each far smaller.
    let partie = parties_liees(p);
    let mut par_partie: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for &case in cases {
        if inconnue(case) && deduites[case].is_none() {
            par_partie.entry(partie[case]).or_default().push(case);
        }
    }
    let mut bornes: std::collections::HashMap<usize, (f64, Option<f64>)> = Default::default();
    for (racine, siennes) in par_partie {
        let modele = Modele::new(p, &|i| partie[i] == racine);
        for case in siennes {
            let Some(v) = modele.de_la_case[case] else {
                continue;
            };
            let min = modele.optimum(v, false)?.unwrap_or(0.0);
            bornes.insert(case, (min, modele.optimum(v, true)?));
        }
    }
    let mut encadrements = Vec::new();
    for &case in cases.iter().filter(|&&c| inconnue(c)) {
        let (min, max) = match deduites[case] {
            Some(x) => (x, Some(x)),
            None => bornes[&case],
        };
        let libre = p.libres.contains(&case);
        encadrements.push(Encadrement {
            case,
            min,
            max,
            libre,
        });
    }
    Ok(encadrements)
}

/// The representative of `i`'s set (union-find, paths halved).
fn racine(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Each count's part of the system: the unknowns a relation holds
/// together are in one part (a representative's index); a published
/// count is a part of its own.
fn parties_liees(p: &Publie) -> Vec<usize> {
    let mut parent: Vec<usize> = (0..p.cases.len()).collect();
    for (termes, _) in p.egalites.iter().chain(&p.inegalites) {
        let mut inconnues = termes
            .iter()
            .map(|&(i, _)| i)
            .filter(|&i| p.cases[i].is_none());
        let Some(premiere) = inconnues.next() else {
            continue;
        };
        for i in inconnues {
            let (a, b) = (racine(&mut parent, premiere), racine(&mut parent, i));
            parent[a.max(b)] = a.min(b);
        }
    }
    (0..p.cases.len()).map(|i| racine(&mut parent, i)).collect()
}

/// The unknowns that sums give exactly, without solving: a sum with one
/// unknown left gives it, and so on (most complements are a published
/// count less another). Sums only, whose arithmetic is exact; a share's
/// rounding is left to the solver.
pub(crate) fn deduites(p: &Publie) -> Vec<Option<f64>> {
    let mut connues = p.cases.clone();
    let sommes: Vec<&(Vec<Terme>, f64)> = p
        .egalites
        .iter()
        .filter(|(t, _)| t.iter().all(|&(_, a)| a == 1.0 || a == -1.0))
        .collect();
    let mut change = true;
    while change {
        change = false;
        for (termes, c) in &sommes {
            let mut inconnues = termes.iter().filter(|&&(i, _)| connues[i].is_none());
            let (Some(&(i, a)), None) = (inconnues.next(), inconnues.next()) else {
                continue;
            };
            let reste: f64 = termes
                .iter()
                .filter(|&&(j, _)| j != i)
                .map(|&(j, b)| b * connues[j].unwrap_or(0.0))
                .sum();
            connues[i] = Some((c - reste) / a);
            change = true;
        }
    }
    connues
        .into_iter()
        .zip(&p.cases)
        .map(|(d, c)| if c.is_some() { None } else { d })
        .collect()
}

/// The disclosures among `encadrements`, for the threshold `seuil`: a
/// pinned count; a count whose interval reaches 1 to `seuil − 1` (it may be
/// a primary one) and is narrower than `seuil`.
pub fn failles(encadrements: &[Encadrement], seuil: u32) -> Vec<Faille> {
    let seuil = f64::from(seuil);
    encadrements
        .iter()
        .filter_map(|e| {
            let max = e.max?;
            let petit = e.min >= 1.0 - EPSILON && e.min < seuil - EPSILON;
            if max - e.min < EPSILON && (!e.libre || petit) {
                return Some(Faille::Epinglee {
                    case: e.case,
                    valeur: e.min,
                });
            }
            let peut_etre_primaire = e.min < seuil - EPSILON && max >= 1.0 - EPSILON;
            let connu = max - e.min < EPSILON;
            (!connu && peut_etre_primaire && max - e.min < seuil - EPSILON).then_some(
                Faille::Resserree {
                    case: e.case,
                    min: e.min,
                    max,
                },
            )
        })
        .collect()
}

/// How a published count may be masked as a complement, cheapest first:
/// its rank (0 for the smallest territories, higher for wider totals),
/// then its value.
pub type Cout = (u8, f64);

/// The failing cells among `secretes`, by the audit.
fn en_faille(p: &Publie, secretes: &[usize], seuil: u32) -> Result<Vec<Faille>, ResolutionError> {
    Ok(failles(&encadrer_parmi(p, secretes)?, seuil))
}

/// The published counts that share a relation with `case` or with an
/// unknown linked to it, with their cost; cheapest first, ties by index.
fn candidats(p: &Publie, case: usize, cout: &dyn Fn(usize) -> Option<Cout>) -> Vec<usize> {
    // Through the equalities first: a count is pinned by the sums it is
    // in, rarely by a public within its total; the other cells of those
    // sums are the complements that matter.
    let egalites: Vec<&Vec<Terme>> = p.egalites.iter().map(|(t, _)| t).collect();
    let par_egalites = candidats_par(p, case, &egalites, cout);
    if !par_egalites.is_empty() {
        return par_egalites;
    }
    let relations: Vec<&Vec<Terme>> = p
        .egalites
        .iter()
        .chain(&p.inegalites)
        .map(|(t, _)| t)
        .collect();
    candidats_par(p, case, &relations, cout)
}

/// [`candidats`] through `relations`.
fn candidats_par(
    p: &Publie,
    case: usize,
    relations: &[&Vec<Terme>],
    cout: &dyn Fn(usize) -> Option<Cout>,
) -> Vec<usize> {
    let mut vues = vec![false; p.cases.len()];
    let (mut a_voir, mut publiees) = (vec![case], BTreeSet::new());
    vues[case] = true;
    while let Some(i) = a_voir.pop() {
        for termes in relations.iter().filter(|t| t.iter().any(|&(j, _)| j == i)) {
            for &(j, _) in termes.iter() {
                if vues[j] {
                    continue;
                }
                vues[j] = true;
                match p.cases[j] {
                    None => a_voir.push(j),
                    Some(v) if v > 0.0 => {
                        publiees.insert(j);
                    }
                    Some(_) => {}
                }
            }
        }
    }
    let mut c: Vec<(Cout, usize)> = publiees
        .into_iter()
        .filter_map(|j| cout(j).map(|k| (k, j)))
        .collect();
    c.sort_by(|a, b| {
        (a.0 .0)
            .cmp(&b.0 .0)
            .then(a.0 .1.total_cmp(&b.0 .1))
            .then(a.1.cmp(&b.1))
    });
    c.into_iter().map(|(_, j)| j).collect()
}

/// What a reader knows of `case`: whether it is disclosed, and the width
/// of its interval (unbounded: infinite).
fn etat(p: &Publie, case: usize, seuil: u32) -> Result<(bool, f64), ResolutionError> {
    let e = encadrer_parmi(p, &[case])?;
    let largeur = e.first().map_or(f64::INFINITY, |e| {
        e.max.map_or(f64::INFINITY, |m| m - e.min)
    });
    Ok((!failles(&e, seuil).is_empty(), largeur))
}

/// Pairs of complements are tried among this many cheapest candidates
/// when no single one protects (each try is two linear programmes).
const CANDIDATS_PAR_PAIRES: usize = 8;

/// The counts equal by construction, each case's class (a
/// representative): a total over a single part (an EPT whose only commune
/// is this commune, a commune whose only QPV is this one), its parts
/// published as zero left out; two totals over the same parts (an EPT whose
/// only commune with QPV is this commune: its figure in QPV is the
/// commune's). Masked one without the other, either gives the other away.
fn classes_egales(p: &Publie) -> Vec<usize> {
    let mut classe: Vec<usize> = (0..p.cases.len()).collect();
    fn racine(classe: &mut [usize], mut i: usize) -> usize {
        while classe[i] != i {
            classe[i] = classe[classe[i]];
            i = classe[i];
        }
        i
    }
    let mut unir = |a: usize, b: usize| {
        let (ra, rb) = (racine(&mut classe, a), racine(&mut classe, b));
        classe[ra.max(rb)] = ra.min(rb);
    };
    let mut par_parties: std::collections::BTreeMap<Vec<usize>, usize> = Default::default();
    for (termes, constante) in &p.egalites {
        let Some((&(total, a), parties)) = termes.split_first() else {
            continue;
        };
        if a != 1.0 || *constante != 0.0 || parties.iter().any(|&(_, b)| b != -1.0) {
            continue;
        }
        let mut v: Vec<usize> = parties
            .iter()
            .map(|&(i, _)| i)
            .filter(|&i| p.cases[i] != Some(0.0))
            .collect();
        v.sort_unstable();
        if let [seule] = v[..] {
            unir(total, seule);
        }
        match par_parties.get(&v) {
            Some(&autre) => unir(total, autre),
            None => {
                par_parties.insert(v, total);
            }
        }
    }
    (0..classe.len()).map(|i| racine(&mut classe, i)).collect()
}

/// The published counts equal to `c` by construction ([`classes_egales`]).
fn jumeaux(p: &Publie, classes: &[usize], c: usize) -> Vec<usize> {
    (0..p.cases.len())
        .filter(|&j| j != c && classes[j] == classes[c] && p.cases[j].is_some())
        .collect()
}

/// `cases` masked, `essai` run, then put back.
fn en_masquant<T>(
    p: &mut Publie,
    cases: &[usize],
    essai: impl FnOnce(&Publie) -> Result<T, ResolutionError>,
) -> Result<T, ResolutionError> {
    let valeurs: Vec<Option<f64>> = cases.iter().map(|&c| p.cases[c].take()).collect();
    let resultat = essai(p);
    // Put back in reverse: a count named twice (two groups sharing a
    // twin) gets the value its first mention took.
    for (&c, v) in cases.iter().zip(valeurs).rev() {
        p.cases[c] = v;
    }
    resultat
}

/// The complements that protect `case`, cheapest first, each with its
/// twins ([`jumeaux`]): one that alone ends its disclosure; else two that
/// do together (a count pinned by two relations); else one that widens
/// it; else the cheapest (several steps may be needed before one tells:
/// the pass may then mask more than an optimal suppression would).
fn complement(
    p: &mut Publie,
    case: usize,
    cout: &dyn Fn(usize) -> Option<Cout>,
    seuil: u32,
) -> Result<Vec<usize>, ResolutionError> {
    let classes = classes_egales(p);
    let groupes: Vec<Vec<usize>> = candidats(p, case, cout)
        .into_iter()
        .map(|c| std::iter::once(c).chain(jumeaux(p, &classes, c)).collect())
        .collect();
    let (_, avant) = etat(p, case, seuil)?;
    let mut elargit = None;
    for g in &groupes {
        let (divulguee, largeur) = en_masquant(p, g, |p| etat(p, case, seuil))?;
        if !divulguee {
            return Ok(g.clone());
        }
        if elargit.is_none() && largeur > avant + EPSILON {
            elargit = Some(g.clone());
        }
    }
    let premiers = &groupes[..groupes.len().min(CANDIDATS_PAR_PAIRES)];
    for (k, a) in premiers.iter().enumerate() {
        for b in &premiers[k + 1..] {
            let mut deux: Vec<usize> = a.iter().chain(b).copied().collect();
            deux.sort_unstable();
            deux.dedup();
            if !en_masquant(p, &deux, |p| etat(p, case, seuil))?.0 {
                return Ok(deux);
            }
        }
    }
    Ok(elargit.or(groupes.first().cloned()).unwrap_or_default())
}

/// Global complementary suppression: masks, one at a time, published
/// counts until no masked count of `secretes` (grown with them) is given
/// away by the audit; the counts masked, in order. Each step takes the
/// first disclosed count and masks the cheapest count linked to it that
/// protects it ([`complement`]); `cout` says which counts may be masked
/// and at what cost (a small part before a total, as τ-Argus and
/// sdcTable do). Then the complements that turned out not to be needed
/// are published again ([`elaguer`]), and so are those of `masquees`, the
/// complements a first pass masked, relation by relation, when they are
/// not needed. `valeurs`: every count before masking (`None` where not
/// known: never published again). Deterministic: same problem, same
/// counts.
///
/// Masking a count only takes a constraint away from the unknowns: no
/// interval narrows, and a count pinned stays safe once freed. Only the
/// disclosed counts and the complements are looked at again, then the
/// whole audit once more (a wider interval may now reach the primary
/// counts while staying narrower than the threshold).
pub fn completer(
    p: &mut Publie,
    (valeurs, mut masquees): (&[Option<f64>], Vec<usize>),
    secretes: &mut Vec<usize>,
    cout: &dyn Fn(usize) -> Option<Cout>,
    seuil: u32,
) -> Result<Vec<usize>, ResolutionError> {
    loop {
        let a_revoir: Vec<usize> = en_faille(p, secretes, seuil)?
            .iter()
            .map(Faille::case)
            .collect();
        let avant = masquees.len();
        proteger_en_faille(p, a_revoir, secretes, &mut masquees, cout, seuil)?;
        if masquees.len() == avant {
            break;
        }
    }
    elaguer(p, valeurs, secretes, &mut masquees, seuil)?;
    Ok(masquees)
}

/// The greedy pass masks, step by step, complements that later ones make
/// useless (a count masked to widen an interval that a total masked
/// afterwards protects alone). Each complement, the widest first (the
/// total before its parts, the largest value before the smaller), is
/// published again with its twins when the audit still passes without it
/// ([`publier_si_sur`]); `valeurs` are the counts before masking.
fn elaguer(
    p: &mut Publie,
    valeurs: &[Option<f64>],
    secretes: &mut Vec<usize>,
    masquees: &mut Vec<usize>,
    seuil: u32,
) -> Result<(), ResolutionError> {
    let classes = classes_egales(p);
    let mut ordre = masquees.clone();
    ordre.sort_by(|&a, &b| {
        let v = |i: usize| valeurs[i].unwrap_or(0.0);
        v(b).total_cmp(&v(a)).then(b.cmp(&a))
    });
    for c in ordre {
        if !masquees.contains(&c) || valeurs[c].is_none() {
            continue;
        }
        // With its twins still masked: published alone, it would pin them.
        let groupe: Vec<usize> = masquees
            .iter()
            .copied()
            .filter(|&m| classes[m] == classes[c] && valeurs[m].is_some())
            .collect();
        if let Some(publiees) = publier_si_sur(p, groupe, valeurs, secretes, masquees, seuil)? {
            secretes.retain(|s| !publiees.contains(s));
            masquees.retain(|m| !publiees.contains(m));
        }
    }
    Ok(())
}

/// `groupe` published again if nothing masked is then given away; the
/// complements it pins are published with it (a reader would know them
/// anyway: the commune's figure once the other commune's is published
/// under the département's). `None`, and nothing changed, when a primary
/// count would be pinned or narrowed.
fn publier_si_sur(
    p: &mut Publie,
    mut publiees: Vec<usize>,
    valeurs: &[Option<f64>],
    secretes: &[usize],
    masquees: &[usize],
    seuil: u32,
) -> Result<Option<Vec<usize>>, ResolutionError> {
    let mut nouvelles = publiees.clone();
    loop {
        for &g in &nouvelles {
            p.cases[g] = valeurs[g];
        }
        let restantes: Vec<usize> = secretes
            .iter()
            .copied()
            .filter(|s| !publiees.contains(s))
            .collect();
        // A quick look at the neighbours first: most complements are
        // needed, and that is where it shows.
        let voisines: Vec<usize> = nouvelles
            .iter()
            .flat_map(|&g| voisines(p, g))
            .filter(|v| restantes.contains(v))
            .collect();
        let mut f = en_faille(p, &voisines, seuil)?;
        if f.iter().all(|f| connue(f, masquees, valeurs)) {
            f = en_faille(p, &restantes, seuil)?;
        }
        if f.is_empty() {
            return Ok(Some(publiees));
        }
        if !f.iter().all(|f| connue(f, masquees, valeurs)) {
            for &g in &publiees {
                p.cases[g] = None;
            }
            return Ok(None);
        }
        nouvelles = f.iter().map(Faille::case).collect();
        nouvelles.sort_unstable();
        nouvelles.dedup();
        publiees.extend(&nouvelles);
    }
}

/// A complement the reader pins: publishing it tells nothing more.
fn connue(f: &Faille, masquees: &[usize], valeurs: &[Option<f64>]) -> bool {
    matches!(*f, Faille::Epinglee { case, .. } if masquees.contains(&case) && valeurs[case].is_some())
}

/// The masked counts that share a relation with `c`.
fn voisines(p: &Publie, c: usize) -> Vec<usize> {
    let mut v: Vec<usize> = p
        .egalites
        .iter()
        .chain(&p.inegalites)
        .map(|(t, _)| t)
        .filter(|t| t.iter().any(|&(i, _)| i == c))
        .flat_map(|t| t.iter().map(|&(i, _)| i))
        .filter(|&i| i != c && p.cases[i].is_none())
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// [`completer`]'s pass over the disclosed counts `a_revoir`.
fn proteger_en_faille(
    p: &mut Publie,
    mut a_revoir: Vec<usize>,
    secretes: &mut Vec<usize>,
    masquees: &mut Vec<usize>,
    cout: &dyn Fn(usize) -> Option<Cout>,
    seuil: u32,
) -> Result<(), ResolutionError> {
    while let Some(&f) = a_revoir.first() {
        if !etat(p, f, seuil)?.0 {
            a_revoir.remove(0);
            continue;
        }
        let complements = complement(p, f, cout, seuil)?;

        if complements.is_empty() {
            // Nothing left to mask around it: everything linked to it is
            // masked or zero; a disclosure no suppression can end (the
            // audit before publishing refuses the report).
            a_revoir.remove(0);
            continue;
        }
        for c in complements {
            if p.cases[c].is_none() {
                continue;
            }
            p.cases[c] = None;
            secretes.push(c);
            masquees.push(c);
            a_revoir.push(c);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The disclosures at threshold 5, bounds rounded to the unit (the
    /// solver's arithmetic is not exact).
    fn failles_de(p: &Publie) -> Vec<Faille> {
        let r = |x: f64| x.round() + 0.0;
        failles(&encadrer(p).unwrap(), 5)
            .into_iter()
            .map(|f| match f {
                Faille::Epinglee { case, valeur } => Faille::Epinglee {
                    case,
                    valeur: r(valeur),
                },
                Faille::Resserree { case, min, max } => Faille::Resserree {
                    case,
                    min: r(min),
                    max: r(max),
                },
            })
            .collect()
    }

    /// A single masked part under a published total is the difference.
    #[test]
    fn une_seule_case_masquee_sous_un_total_est_epinglee() {
        let mut p = Publie::default();
        let total = p.case(Some(20.0));
        let a = p.case(None);
        let b = p.case(Some(17.0));
        p.somme(total, &[a, b]);
        assert_eq!(
            failles_de(&p),
            [Faille::Epinglee {
                case: a,
                valeur: 3.0
            }]
        );
    }

    /// A commune whose only QPV is masked, masked itself, is recovered
    /// through the département when the other QPV are published: both are
    /// pinned (the EPT leak of issue #15, in small).
    #[test]
    fn deux_cases_egales_par_construction_sont_epinglees() {
        let mut p = Publie::default();
        let departement = p.case(Some(30.0));
        let qpv = p.case(None);
        let autre = p.case(Some(26.0));
        let commune = p.case(None);
        p.somme(departement, &[qpv, autre]);
        p.somme(commune, &[qpv]);
        let f = failles_de(&p);
        assert!(
            f.contains(&Faille::Epinglee {
                case: qpv,
                valeur: 4.0
            }),
            "{f:?}"
        );
        assert!(
            f.contains(&Faille::Epinglee {
                case: commune,
                valeur: 4.0
            }),
            "{f:?}"
        );
    }

    /// A published share over a published denominator gives its numerator.
    #[test]
    fn une_part_publiee_revele_son_numerateur() {
        let mut p = Publie::default();
        let jeunes = p.case(None);
        let tous = p.case(Some(40.0));
        p.part(jeunes, tous, 0.075);
        p.au_plus(jeunes, tous);
        assert_eq!(
            failles_de(&p),
            [Faille::Epinglee {
                case: jeunes,
                valeur: 3.0
            }]
        );
    }

    /// Two masked parts of a published total, neither bounded within less
    /// than the threshold: safe.
    #[test]
    fn deux_parts_masquees_d_un_total_sont_protegees() {
        let mut p = Publie::default();
        let total = p.case(Some(20.0));
        let a = p.case(None);
        let b = p.case(None);
        let c = p.case(Some(10.0));
        p.somme(total, &[a, b, c]);
        let e = encadrer(&p).unwrap();
        assert_eq!(e.len(), 2);
        for x in &e {
            assert!(
                x.min.abs() < 1e-9 && (x.max.unwrap() - 10.0).abs() < 1e-9,
                "{x:?}"
            );
        }
        assert!(failles(&e, 5).is_empty());
    }

    /// Masked parts whose sum is small are narrowed below the threshold:
    /// each is known to be between 0 and 4.
    #[test]
    fn des_parts_masquees_de_petite_somme_sont_resserrees() {
        let mut p = Publie::default();
        let total = p.case(Some(14.0));
        let a = p.case(None);
        let b = p.case(None);
        let c = p.case(Some(10.0));
        p.somme(total, &[a, b, c]);
        assert_eq!(
            failles_de(&p),
            [
                Faille::Resserree {
                    case: a,
                    min: 0.0,
                    max: 4.0
                },
                Faille::Resserree {
                    case: b,
                    min: 0.0,
                    max: 4.0
                }
            ]
        );
    }

    /// Nothing bounds a masked count that no relation holds.
    #[test]
    fn une_case_sans_relation_n_est_pas_bornee() {
        let mut p = Publie::default();
        let a = p.case(None);
        let e = encadrer(&p).unwrap();
        assert_eq!((e.len(), e[0].case, e[0].max), (1, a, None));
        assert!(e[0].min.abs() < 1e-9);
        assert!(failles_de(&p).is_empty());
    }

    /// The global suppression: a part alone protects a masked QPV under a
    /// published total, the cheapest one (26, not 30, not the total).
    #[test]
    fn completer_masque_la_partie_la_moins_chere() {
        let mut p = Publie::default();
        let total = p.case(Some(60.0));
        let (q1, q2, q3) = (p.case(None), p.case(Some(30.0)), p.case(Some(26.0)));
        p.somme(total, &[q1, q2, q3]);
        let mut secretes = vec![q1];
        let cases = p.cases.clone();
        let cout = |i: usize| Some((u8::from(i == total), cases[i]?));
        let rien = (&cases[..], Vec::new());
        assert_eq!(
            completer(&mut p, rien, &mut secretes, &cout, 5).unwrap(),
            [q3]
        );
        assert!(failles(&encadrer_parmi(&p, &secretes).unwrap(), 5).is_empty());
    }

    /// The EPT leak in small: a commune whose only QPV is masked, masked
    /// itself, under an EPT whose other commune is published. No part
    /// alone protects it (the other commune's figure pins it whatever its
    /// QPV): the EPT's figure is masked, and nothing is given away.
    #[test]
    fn sans_partie_qui_suffise_le_total_est_masque() {
        let mut p = Publie::default();
        let ept = p.case(Some(60.0));
        let (q1, q2, q3) = (p.case(None), p.case(Some(30.0)), p.case(Some(26.0)));
        let (commune_1, commune_2) = (p.case(None), p.case(Some(56.0)));
        p.somme(commune_1, &[q1]);
        p.somme(commune_2, &[q2, q3]);
        p.somme(ept, &[commune_1, commune_2]);
        assert!(!failles_de(&p).is_empty());
        let mut secretes = vec![q1, commune_1];
        let cases = p.cases.clone();
        let cout = |i: usize| Some((u8::from(i == ept || i == commune_2), cases[i]?));
        let rien = (&cases[..], Vec::new());
        assert_eq!(
            completer(&mut p, rien, &mut secretes, &cout, 5).unwrap(),
            [ept]
        );
        assert!(failles(&encadrer_parmi(&p, &secretes).unwrap(), 5).is_empty());
    }

    /// A total over one part, its zero parts aside, is that part; two
    /// totals over the same parts are equal: one class each.
    #[test]
    fn les_cases_egales_par_construction_forment_une_classe() {
        let mut p = Publie::default();
        let (commune, qpv, vide) = (p.case(Some(30.0)), p.case(None), p.case(Some(0.0)));
        let (ept, autre) = (p.case(Some(30.0)), p.case(Some(12.0)));
        p.somme(commune, &[qpv, vide]);
        p.somme(ept, &[qpv]);
        p.somme(autre, &[qpv, commune]);
        let classes = classes_egales(&p);
        assert_eq!(jumeaux(&p, &classes, qpv), [commune, ept]);
        assert!(jumeaux(&p, &classes, autre).is_empty());
    }

    /// Greedy steps may mask a complement that a later one makes useless:
    /// it is published again. Here the pass is handed two complements of a
    /// masked QPV under its commune (19 and 26, say masked relation by
    /// relation); one is enough, the larger is published again.
    #[test]
    fn un_complement_inutile_est_publie_de_nouveau() {
        let mut p = Publie::default();
        let commune = p.case(Some(60.0));
        let (q1, q2, q3) = (p.case(None), p.case(Some(19.0)), p.case(Some(26.0)));
        p.somme(commune, &[q1, q2, q3]);
        let valeurs = p.cases.clone();
        p.cases[q2] = None;
        p.cases[q3] = None;
        let mut secretes = vec![q1, q2, q3];
        let cout = |_: usize| None;
        let masquees = completer(&mut p, (&valeurs, vec![q2, q3]), &mut secretes, &cout, 5);
        assert_eq!(masquees.unwrap(), [q2]);
        assert_eq!(p.cases[q3], Some(26.0));
        assert!(failles(&encadrer_parmi(&p, &secretes).unwrap(), 5).is_empty());
    }

    /// Publishing a complement again may pin another complement, which a
    /// reader then knows anyway: both are published, the primary count
    /// staying protected by the third. Two communes of a département, the
    /// masked QPV in the first with its other QPV masked.
    #[test]
    fn un_complement_que_la_publication_epingle_est_publie_avec() {
        let mut p = Publie::default();
        let departement = p.case(Some(100.0));
        let (c1, c2) = (p.case(Some(40.0)), p.case(Some(60.0)));
        let (q1, q2) = (p.case(None), p.case(Some(37.0)));
        p.somme(departement, &[c1, c2]);
        p.somme(c1, &[q1, q2]);
        let valeurs = p.cases.clone();
        for c in [c1, c2, q2] {
            p.cases[c] = None;
        }
        let mut secretes = vec![q1, c1, c2, q2];
        let cout = |_: usize| None;
        let masquees = completer(
            &mut p,
            (&valeurs, vec![c1, c2, q2]),
            &mut secretes,
            &cout,
            5,
        );
        assert_eq!(masquees.unwrap(), [q2]);
        assert_eq!((p.cases[c1], p.cases[c2]), (Some(40.0), Some(60.0)));
    }
}
