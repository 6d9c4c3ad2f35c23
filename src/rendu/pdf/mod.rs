//! The printable A4 summary for the council: the deck's title block, the
//! job-seeker table, the profile table, the key messages and the sources.
//!
//! The layout is done here: text measured and wrapped from the glyph
//! advances of the embedded DejaVu Sans (a free font shipped in
//! `assets/fonts/` with its licence, see `police`) so that it never leaves
//! its cell, tables, charts, footers. What is drawn is then written by
//! `document`.

use std::path::Path;

mod balises;
mod document;
mod flux;
mod police;

use balises::{Arbre, Role};
use document::{Proprietes, Teinte, Trace};
use police::Police;

use super::tableaux::{Cellule, Tableau};
use super::{Contenu, ContenuCommune};
use crate::erreur::{Erreur, Resultat};
use crate::rapport::version::Rectification;
use crate::reglages::Reglages;

const LARGEUR_PAGE: f32 = 595.28;
const HAUTEUR_PAGE: f32 = 841.89;
const MARGE: f32 = 48.0;

/// Font sizes and cell padding of a table, in points.
/// The smallest size a table's text shrinks to so as not to cut a word.
const TAILLE_MINIMALE: f32 = 5.5;

struct TaillesTableau {
    entete: f32,
    texte: f32,
    marge: f32,
}
const BAS: f32 = 60.0;
const BLEU: Teinte = (0.0, 0.0, 0.569); // bleu France #000091
const NOIR: Teinte = (0.1, 0.1, 0.1);
const GRIS: Teinte = (0.4, 0.4, 0.4);
const ROUGE: Teinte = (0.75, 0.0, 0.0);

struct Mise {
    normale: Police,
    grasse: Police,
    pages: Vec<Vec<Trace>>,
    ops: Vec<Trace>,
    y: f32,
    /// Tighter tables, for the one-page commune documents.
    compact: bool,
    /// The document's title (its metadata): `Annexe statistique QPV — <what
    /// it is about> — <period>`.
    titre: String,
    /// The document's rectified version, in its title block and on every
    /// page's footer.
    version: Option<Rectification>,
    /// The structure elements opened and closed as the page is drawn.
    arbre: Arbre,
    /// What is drawn now is an artifact (running footers).
    artefact: bool,
}

impl Mise {
    fn police(&self, gras: bool) -> &Police {
        if gras {
            &self.grasse
        } else {
            &self.normale
        }
    }

    /// The element a text drawn now belongs to: the innermost open one,
    /// none for an artifact.
    fn marque_texte(&self) -> Option<usize> {
        (!self.artefact).then(|| self.arbre.courant())
    }

    /// The element a rule or ground drawn now belongs to: a figure's
    /// drawing is the figure; elsewhere they are decoration (artifacts).
    fn marque_dessin(&self) -> Option<usize> {
        let e = self.arbre.courant();
        (!self.artefact && self.arbre.elements[e].role == Role::Figure).then_some(e)
    }

    fn texte(&mut self, x: f32, y: f32, taille: f32, gras: bool, teinte: Teinte, texte: &str) {
        self.ops.push(Trace::Texte {
            marque: self.marque_texte(),
            x,
            y,
            taille,
            gras,
            teinte,
            texte: texte.to_string(),
        });
    }

    fn filet(&mut self, x1: f32, x2: f32, y: f32, epaisseur: f32, teinte: Teinte) {
        self.ops.push(Trace::Trait {
            marque: self.marque_dessin(),
            points: vec![(x1, y), (x2, y)],
            epaisseur,
            teinte,
        });
    }

    fn fond(&mut self, x: f32, y: f32, largeur: f32, hauteur: f32, teinte: Teinte) {
        self.ops.push(Trace::Fond {
            marque: self.marque_dessin(),
            x,
            y,
            largeur,
            hauteur,
            teinte,
        });
    }

    fn nouvelle_page(&mut self) {
        self.pages.push(std::mem::take(&mut self.ops));
        self.y = HAUTEUR_PAGE - MARGE;
    }

    /// Makes room for `hauteur` points, on a new page if needed.
    fn place(&mut self, hauteur: f32) {
        if self.y - hauteur < BAS {
            self.nouvelle_page();
        }
    }

    /// A paragraph (element `P`).
    fn paragraphe(&mut self, texte: &str, taille: f32, gras: bool, teinte: Teinte, retrait: f32) {
        self.bloc(Role::Paragraphe, texte, (taille, gras, teinte), retrait);
    }

    /// A text wrapped in the text width less `retrait`, as one element of
    /// type `role` (a paragraph, a heading).
    fn bloc(
        &mut self,
        role: Role,
        texte: &str,
        (taille, gras, teinte): (f32, bool, Teinte),
        retrait: f32,
    ) {
        self.arbre.ouvrir(role);
        self.lignes(texte, (taille, gras, teinte), retrait);
        self.arbre.fermer();
    }

    /// A text's lines, wrapped in the text width less `retrait`, in the
    /// element open.
    fn lignes(&mut self, texte: &str, (taille, gras, teinte): (f32, bool, Teinte), retrait: f32) {
        let largeur = LARGEUR_PAGE - 2.0 * MARGE - retrait;
        let interligne = taille * 1.35;
        for ligne in self.police(gras).couper(texte, taille, largeur) {
            self.place(interligne);
            self.y -= interligne;
            self.texte(MARGE + retrait, self.y, taille, gras, teinte, &ligne);
        }
    }

    fn titre_section(&mut self, texte: &str) {
        // A heading keeps its first lines or its table's header with it.
        self.place(95.0);
        self.y -= 14.0;
        self.bloc(Role::Titre2, texte, (12.5, true, BLEU), 0.0);
        self.y -= 4.0;
        self.filet(MARGE, LARGEUR_PAGE - MARGE, self.y, 0.8, BLEU);
        self.y -= 6.0;
    }

    /// A table across the text width; the first column takes `premiere`
    /// of it, the others share the rest. Numbers are right-aligned.
    fn tableau(&mut self, tableau: &Tableau, premiere: f32) {
        let n = tableau.entetes.len().max(1);
        let autres = if n > 1 {
            (1.0 - premiere) / (n - 1) as f32
        } else {
            0.0
        };
        let proportions: Vec<f32> = (0..n)
            .map(|j| if j == 0 { premiere } else { autres })
            .collect();
        self.tableau_proportions(tableau, &proportions);
    }

    /// A table across the text width, column `j` taking `proportions[j]`
    /// of it. Numbers are right-aligned.
    fn tableau_proportions(&mut self, tableau: &Tableau, proportions: &[f32]) {
        let largeur_totale = LARGEUR_PAGE - 2.0 * MARGE;
        let largeurs: Vec<f32> = proportions.iter().map(|p| p * largeur_totale).collect();
        // A commune's page is meant to hold on one sheet: tighter tables.
        let tailles = if self.compact {
            TaillesTableau {
                entete: 7.0,
                texte: 7.5,
                marge: 3.0,
            }
        } else {
            TaillesTableau {
                entete: 7.5,
                texte: 8.5,
                marge: 4.0,
            }
        };
        self.arbre.ouvrir(Role::Tableau);
        self.entete_de_tableau(&tableau.entetes, &largeurs, &tailles);
        for ligne in &tableau.lignes {
            self.ligne_de_tableau(ligne, &largeurs, &tailles);
        }
        self.arbre.fermer();
        self.y -= 6.0;
    }

    /// A table's header row, on a tinted ground; never alone at the foot
    /// of a page.
    fn entete_de_tableau(&mut self, entetes: &[String], largeurs: &[f32], t: &TaillesTableau) {
        let largeur_totale: f32 = LARGEUR_PAGE - 2.0 * MARGE;
        // Each header at the size where none of its words is cut.
        let entetes: Vec<(Vec<String>, f32)> = entetes
            .iter()
            .zip(largeurs)
            .map(|(e, l)| {
                let utile = l - 2.0 * t.marge;
                let corps = self
                    .grasse
                    .taille_sans_couper(e, t.entete, utile, TAILLE_MINIMALE);
                (self.grasse.couper(e, corps, utile), corps)
            })
            .collect();
        let hauteur_entete = entetes
            .iter()
            .map(|(lignes, corps)| lignes.len() as f32 * corps * 1.3)
            .fold(t.entete * 1.3, f32::max)
            + 2.0 * t.marge;
        // The header never ends a page alone.
        self.place(hauteur_entete + 30.0);
        let haut = self.y;
        self.fond(
            MARGE,
            haut - hauteur_entete,
            largeur_totale,
            hauteur_entete,
            (0.89, 0.89, 0.99),
        );
        let mut x = MARGE;
        self.arbre.ouvrir(Role::LigneDeTableau);
        for ((lignes, corps), l) in entetes.iter().zip(largeurs) {
            self.arbre.ouvrir(Role::EnTete);
            let mut y = haut - t.marge - corps;
            for ligne in lignes {
                let w = self.grasse.largeur(ligne, *corps);
                let xl = if x == MARGE {
                    x + t.marge
                } else {
                    x + (l - w) / 2.0
                };
                self.texte(xl, y, *corps, true, NOIR, ligne);
                y -= corps * 1.3;
            }
            self.arbre.fermer();
            x += l;
        }
        self.arbre.fermer();
        self.y = haut - hauteur_entete;
    }

    /// One row of a table: text wrapped in its column, figures on one
    /// line, right-aligned, made smaller rather than cut; a rule under it.
    fn ligne_de_tableau(&mut self, ligne: &[Cellule], largeurs: &[f32], t: &TaillesTableau) {
        let largeur_totale: f32 = LARGEUR_PAGE - 2.0 * MARGE;
        let taille = t.texte;
        // (lines, a figure?, size): a text at the size where none of its
        // words is cut.
        let cellules: Vec<(Vec<String>, bool, f32)> = ligne
            .iter()
            .zip(largeurs)
            .map(|(c, l)| {
                let texte = c.texte();
                if c.est_nombre() {
                    (vec![texte], true, taille)
                } else {
                    let utile = l - 2.0 * t.marge;
                    let corps =
                        self.normale
                            .taille_sans_couper(&texte, taille, utile, TAILLE_MINIMALE);
                    (self.normale.couper(&texte, corps, utile), false, corps)
                }
            })
            .collect();
        let hauteur = cellules
            .iter()
            .map(|(lignes, _, corps)| lignes.len() as f32 * corps * 1.3)
            .fold(taille * 1.3, f32::max)
            + 2.0 * t.marge
            - 2.0;
        self.place(hauteur);
        let haut = self.y;
        let mut x = MARGE;
        self.arbre.ouvrir(Role::LigneDeTableau);
        for (j, ((lignes, nombre, corps_du_texte), l)) in cellules.iter().zip(largeurs).enumerate()
        {
            // The first cell names the row (a territory, a public…).
            let role = if j == 0 && cellules.len() > 1 {
                Role::EnTeteDeLigne
            } else {
                Role::Cellule
            };
            self.arbre.ouvrir(role);
            let mut y = haut - t.marge - corps_du_texte + 1.0;
            for texte in lignes {
                let mut corps = *corps_du_texte;
                // A figure too wide for its column is made smaller, never cut.
                while *nombre
                    && self.normale.largeur(texte, corps) > l - 2.0 * t.marge
                    && corps > 5.0
                {
                    corps -= 0.5;
                }
                let w = self.normale.largeur(texte, corps);
                let xl = if *nombre {
                    x + l - t.marge - w
                } else {
                    x + t.marge
                };
                self.texte(xl, y, corps, false, NOIR, texte);
                y -= corps_du_texte * 1.3;
            }
            self.arbre.fermer();
            x += l;
        }
        self.arbre.fermer();
        self.y = haut - hauteur;
        self.filet(
            MARGE,
            MARGE + largeur_totale,
            self.y,
            0.4,
            (0.75, 0.75, 0.75),
        );
    }
}

impl Mise {
    /// A new document about `sujet` (the département's or the commune's
    /// name), with the deck's title block.
    fn ouvrir(
        reglages: &Reglages,
        sujet: &str,
        compact: bool,
        version: Option<Rectification>,
    ) -> Resultat<Mise> {
        let c = &reglages.conseil;
        let mut mise = Mise {
            normale: Police::charger(false)?,
            grasse: Police::charger(true)?,
            pages: Vec::new(),
            ops: Vec::new(),
            y: HAUTEUR_PAGE - MARGE,
            compact,
            titre: format!("Annexe statistique QPV — {sujet} — {}", c.periode),
            version,
            arbre: Arbre::new(),
            artefact: false,
        };
        if reglages.interne {
            mise.paragraphe(super::AVERTISSEMENT_INTERNE, 10.0, true, ROUGE, 0.0);
            mise.y -= 6.0;
        }
        mise.paragraphe(&reglages.documents.entete, 13.0, true, NOIR, 0.0);
        mise.y -= 2.0;
        if compact {
            mise.paragraphe("Liberté · Égalité · Fraternité", 8.5, false, GRIS, 0.0);
        } else {
            for devise in ["Liberté", "Égalité", "Fraternité"] {
                mise.paragraphe(devise, 8.5, false, GRIS, 0.0);
            }
        }
        mise.y -= if compact { 8.0 } else { 18.0 };
        let taille = if compact { 13.0 } else { 16.0 };
        mise.bloc(Role::Titre1, &c.intitule(), (taille, true, BLEU), 0.0);
        mise.y -= 4.0;
        mise.paragraphe(
            &format!(
                "Annexe statistique des quartiers prioritaires — {sujet} — {}",
                c.periode.libelle_long()
            ),
            10.5,
            false,
            NOIR,
            0.0,
        );
        if let Some(v) = version {
            mise.y -= 2.0;
            mise.paragraphe(
                &format!("{} : elle remplace la version précédente.", v.libelle()),
                10.0,
                true,
                ROUGE,
                0.0,
            );
        }
        Ok(mise)
    }

    /// A horizontal bar chart: one bar per (label, value) of `lignes`, in
    /// their order (largest first, [`super::barres_par_qpv`]); a masked or
    /// missing value has no bar, only its sign. A figure (`Figure`) whose
    /// alternative text gives every bar's figure.
    fn barres(&mut self, titre: &str, lignes: Vec<(&String, &super::tableaux::Cellule)>) {
        use super::tableaux::Cellule;
        let valeur = |c: &Cellule| {
            if let Cellule::Effectif(v) = c {
                *v
            } else {
                -1.0
            }
        };
        let maximum = lignes.iter().map(|(_, c)| valeur(c)).fold(0.0, f64::max);
        let (taille, pas) = (7.5, 12.0);
        let largeur_libelle = 170.0;
        let largeur_barres = LARGEUR_PAGE - 2.0 * MARGE - largeur_libelle - 50.0;
        // The chart is not split across pages.
        self.place(pas * lignes.len() as f32 + 6.0);
        let figure = self.arbre.ouvrir(Role::Figure);
        self.arbre.decrire(
            figure,
            super::description_des_barres(titre, lignes.iter().copied(), None),
        );
        for (libelle, cellule) in lignes {
            self.place(pas);
            self.y -= pas;
            let mut texte = libelle.clone();
            while self.normale.largeur(&texte, taille) > largeur_libelle - 6.0
                && texte.chars().count() > 4
            {
                texte = texte
                    .chars()
                    .take(texte.chars().count() - 2)
                    .collect::<String>()
                    + "…";
                texte = texte.replacen("……", "…", 1);
            }
            self.texte(MARGE, self.y + 2.0, taille, false, NOIR, &texte);
            let x = MARGE + largeur_libelle;
            let longueur = if maximum > 0.0 && valeur(cellule) > 0.0 {
                (valeur(cellule) / maximum) as f32 * largeur_barres
            } else {
                0.0
            };
            if longueur > 0.0 {
                self.fond(x, self.y, longueur, pas - 3.0, BLEU);
            }
            self.texte(
                x + longueur + 4.0,
                self.y + 2.0,
                taille,
                false,
                NOIR,
                &cellule.texte(),
            );
        }
        self.arbre.fermer();
        self.y -= 6.0;
    }

    /// Two series as indices (first quarter = 100), so that the QPV demand
    /// and the département's, an order of magnitude apart, can be compared.
    fn courbes(&mut self, serie: &Tableau) {
        use super::tableaux::Cellule;
        let colonnes: Vec<Vec<Option<f64>>> = (1..=2)
            .map(|j| {
                serie
                    .lignes
                    .iter()
                    .map(|l| match l.get(j) {
                        Some(Cellule::Effectif(v)) => Some(*v),
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        let indices: Vec<Vec<Option<f64>>> = colonnes
            .iter()
            .map(|c| match c.first().copied().flatten() {
                Some(base) if base > 0.0 => c.iter().map(|v| v.map(|v| 100.0 * v / base)).collect(),
                _ => vec![None; c.len()],
            })
            .collect();
        let tous: Vec<f64> = indices.iter().flatten().flatten().copied().collect();
        if serie.lignes.len() < 2 || tous.is_empty() {
            return;
        }
        let (min, max) = tous
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
        let (min, max) = ((min - 2.0).floor(), (max + 2.0).ceil());
        let (hauteur, gauche) = (130.0, MARGE + 40.0);
        let largeur = LARGEUR_PAGE - 2.0 * MARGE - 40.0 - 130.0;
        self.place(hauteur + 52.0);
        self.y -= 12.0;
        let figure = self.arbre.ouvrir(Role::Figure);
        self.arbre
            .decrire(figure, super::description_de_la_serie(serie, false));
        let bas = self.y - hauteur;
        self.filet(gauche, gauche + largeur, bas, 0.5, GRIS);
        for (v, y) in [
            (min, bas),
            (max, bas + hauteur),
            (100.0, bas + ((100.0 - min) / (max - min)) as f32 * hauteur),
        ] {
            self.texte(
                MARGE,
                y - 3.0,
                7.0,
                false,
                GRIS,
                &crate::format::nombre(v, 0),
            );
            self.filet(gauche, gauche + largeur, y, 0.2, (0.85, 0.85, 0.85));
        }
        let n = serie.lignes.len();
        let x = |i: usize| gauche + largeur * i as f32 / (n - 1) as f32;
        let y = |v: f64| bas + ((v - min) / (max - min)) as f32 * hauteur;
        for (i, l) in serie.lignes.iter().enumerate() {
            if let Some(Cellule::Texte(t)) = l.first() {
                let court = crate::modele::Periode::lire(t)
                    .map(|p| p.to_string())
                    .unwrap_or_else(|| t.clone());
                let w = self.normale.largeur(&court, 6.5);
                self.texte(x(i) - w / 2.0, bas - 10.0, 6.5, false, GRIS, &court);
            }
        }
        let legendes = [("Ensemble du département", GRIS), ("Résidant en QPV", BLEU)];
        for (k, (valeurs, (nom, teinte))) in indices.iter().zip(legendes).enumerate() {
            let points: Vec<(f32, f32)> = valeurs
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.map(|v| (x(i), y(v))))
                .collect();
            self.ops.push(Trace::Trait {
                marque: self.marque_dessin(),
                points,
                epaisseur: 1.6,
                teinte,
            });
            let ly = bas + hauteur - 12.0 * k as f32;
            self.filet(
                gauche + largeur + 10.0,
                gauche + largeur + 24.0,
                ly + 2.5,
                1.6,
                teinte,
            );
            self.texte(gauche + largeur + 28.0, ly, 7.0, false, NOIR, nom);
        }
        self.arbre.fermer();
        self.y = bas - 22.0;
        self.paragraphe(
            "Indice base 100 au premier trimestre affiché.",
            7.0,
            false,
            GRIS,
            0.0,
        );
    }

    /// A bulleted list (`L`): each item's bullet (`Lbl`) and text
    /// (`LBody`), its lines hanging after the bullet.
    fn puces(&mut self, phrases: &[String]) {
        let taille = 9.5;
        let interligne = taille * 1.35;
        let retrait = 6.0 + self.normale.largeur("•  ", taille);
        self.arbre.ouvrir(Role::Liste);
        for m in phrases {
            self.y -= 2.0;
            self.arbre.ouvrir(Role::ElementDeListe);
            // An item is never split across pages; the bullet on the
            // first line of its text.
            let largeur = LARGEUR_PAGE - 2.0 * MARGE - retrait;
            let nb_lignes = self.normale.couper(m, taille, largeur).len();
            self.place(nb_lignes as f32 * interligne);
            self.arbre.ouvrir(Role::Puce);
            self.texte(MARGE + 6.0, self.y - interligne, taille, false, NOIR, "•");
            self.arbre.fermer();
            self.arbre.ouvrir(Role::CorpsDeListe);
            self.lignes(m, (taille, false, NOIR), retrait);
            self.arbre.fermer();
            self.arbre.fermer();
        }
        self.arbre.fermer();
    }

    /// The height the sources take at `taille` points, their rule
    /// included.
    fn hauteur_des_sources(&self, sources: &[String], taille: f32) -> f32 {
        let largeur = LARGEUR_PAGE - 2.0 * MARGE;
        let lignes: usize = sources
            .iter()
            .map(|s| self.normale.couper(s, taille, largeur).len())
            .sum();
        2.0 + lignes as f32 * taille * 1.35
    }

    fn intertitre(&mut self, texte: &str) {
        // Never alone at the foot of a page: room for what follows.
        self.place(70.0);
        self.y -= 10.0;
        self.bloc(Role::Titre3, texte, (10.0, true, NOIR), 0.0);
        self.y -= 4.0;
    }

    /// Sources under a rule, footers with "page X / N", metadata; saves.
    fn terminer(mut self, sources: &[String], reglages: &Reglages, chemin: &Path) -> Resultat<()> {
        let c = &reglages.conseil;
        self.y -= 10.0;
        // The sources never take a page of their own: made smaller to
        // fit under the last content, down to 6 points; else they flow.
        let taille = [7.5, 7.0, 6.5, 6.0]
            .into_iter()
            .find(|t| self.hauteur_des_sources(sources, *t) <= self.y - BAS)
            .unwrap_or(7.5);
        self.filet(MARGE, MARGE + 120.0, self.y, 0.5, GRIS);
        self.y -= 2.0;
        for s in sources {
            self.paragraphe(s, taille, false, GRIS, 0.0);
        }
        self.nouvelle_page();

        // Footer on every page, now that their number is known.
        let total = self.pages.len();
        let mut pages = std::mem::take(&mut self.pages);
        let mut service = format!(
            "{} — {}",
            reglages.documents.service,
            c.periode.libelle_long()
        );
        if let Some(v) = self.version {
            service = format!("{service} — {}", v.court());
        }
        self.artefact = true;
        for (i, ops) in pages.iter_mut().enumerate() {
            std::mem::swap(&mut self.ops, ops);
            let pied = format!("page {} / {total}", i + 1);
            let w = self.normale.largeur(&pied, 7.5);
            self.texte(LARGEUR_PAGE - MARGE - w, 30.0, 7.5, false, GRIS, &pied);
            self.texte(MARGE, 30.0, 7.5, false, GRIS, &service);
            std::mem::swap(&mut self.ops, ops);
        }

        // The run-wide cut of the faces, or the document's own if it draws
        // a rarer letter.
        let caracteres = |gras: bool| -> Vec<char> {
            let mut c: Vec<char> = pages
                .iter()
                .flatten()
                .filter_map(|t| match t {
                    Trace::Texte { gras: g, texte, .. } if *g == gras => Some(texte.chars()),
                    _ => None,
                })
                .flatten()
                .collect();
            c.sort_unstable();
            c.dedup();
            c
        };
        let normale = self.normale.face.coupe_pour(&caracteres(false))?;
        let grasse = self.grasse.face.coupe_pour(&caracteres(true))?;
        let createur = format!("qpv-annexe {}", env!("CARGO_PKG_VERSION"));
        let sujet = match self.version {
            Some(v) => format!("{} — {}", c.intitule(), v.libelle()),
            None => c.intitule(),
        };
        let jour = c.date_documents();
        let proprietes = Proprietes {
            titre: &self.titre,
            auteur: &reglages.documents.service,
            sujet: &sujet,
            createur: &createur,
            date: (jour.annee(), jour.mois(), jour.jour()),
        };
        let octets = document::octets(
            &pages,
            (LARGEUR_PAGE, HAUTEUR_PAGE),
            [&normale, &grasse],
            &proprietes,
            &self.arbre,
        )
        .map_err(Erreur::acces(chemin, "compression"))?;
        std::fs::write(chemin, octets).map_err(Erreur::acces(chemin, "écriture"))
    }
}

/// The département's summary for the council.
pub fn ecrire(contenu: &Contenu, reglages: &Reglages, chemin: &Path) -> Resultat<()> {
    let c = &reglages.conseil;
    let mut mise = Mise::ouvrir(reglages, &c.nom_departement, false, contenu.version)?;
    let mut sources = vec![];
    if let Some(q) = &contenu.quartiers {
        mise.titre_section(&format!("Les QPV du département : {}", c.nom_departement));
        mise.paragraphe(&q.phrase, 10.0, true, NOIR, 0.0);
        mise.y -= 6.0;
        let proportions: &[f32] = match q.liste.entetes.len() {
            5 => &[0.2, 0.27, 0.31, 0.12, 0.1],
            _ => &[0.22, 0.3, 0.34, 0.14],
        };
        mise.tableau_proportions(&sans_repetitions(&q.liste, 2), proportions);
        sources.push(q.source.clone());
    }
    // The section's title stays with its first table.
    mise.place(160.0);
    mise.titre_section("Emploi et insertion professionnelle");
    mise.paragraphe(&contenu.synthese.titre, 10.0, true, NOIR, 0.0);
    mise.y -= 6.0;
    mise.tableau(&contenu.synthese, 0.25);
    mise.y -= 4.0;
    mise.puces(&contenu.messages);
    mise.intertitre(&contenu.profil.titre);
    mise.tableau(&contenu.profil, 0.5);
    // The chart stays with its title.
    mise.place(210.0);
    mise.intertitre(&contenu.serie.titre);
    mise.courbes(&contenu.serie);
    mise.place(12.0 * contenu.par_qpv.lignes.len() as f32 + 40.0);
    mise.intertitre(&format!("{} (catégories A, B, C)", contenu.par_qpv.titre));
    mise.barres(
        &contenu.par_qpv.titre,
        super::barres_par_qpv(&contenu.par_qpv),
    );
    sources.insert(0, contenu.pied.clone());
    if let Some(ml) = &contenu.missions_locales {
        mise.intertitre("Missions locales");
        mise.puces(&ml.messages);
        mise.y -= 6.0;
        mise.tableau(&ml.tableau, 0.22);
        sources.push(ml.source.clone());
    }
    if let Some(d) = &contenu.dispositifs {
        mise.titre_section("Dispositifs de l'emploi et de la politique de la ville");
        mise.puces(&d.phrases);
        sources.push(d.source.clone());
    }
    if let Some(s) = &contenu.structures {
        mise.titre_section("Structures et labels");
        mise.puces(&s.phrases);
        mise.y -= 6.0;
        mise.tableau_proportions(&s.liste, &[0.15, 0.21, 0.14, 0.13, 0.10, 0.11, 0.06, 0.10]);
        sources.push(s.source.clone());
    }
    if let Some(fin) = &contenu.financements {
        mise.titre_section(&fin.titre);
        // A heading per programme when the registers name several.
        for (programme, messages) in &fin.messages {
            if fin.messages.len() > 1 && !programme.is_empty() {
                mise.intertitre(programme);
            }
            mise.puces(messages);
        }
        mise.y -= 6.0;
        mise.tableau(&fin.synthese, 0.2);
        if !fin.pres_des_qpv.lignes.is_empty() {
            // The title stays with its table's first rows.
            mise.place(90.0);
            mise.intertitre(&fin.pres_des_qpv.titre);
            mise.tableau_proportions(&fin.pres_des_qpv, &[0.15, 0.17, 0.22, 0.15, 0.19, 0.12]);
        }
        sources.push(fin.source.clone());
    }
    if let Some((calendrier, source)) = &contenu.calendrier {
        mise.place(80.0);
        mise.intertitre(&calendrier.titre);
        mise.tableau(calendrier, 0.45);
        sources.push(source.clone());
    }
    if let Some([cles, revises]) = &contenu.depuis_le_precedent {
        mise.titre_section("Évolutions depuis le trimestre précédent");
        mise.tableau(cles, 0.4);
        mise.intertitre(&revises.titre);
        mise.tableau(revises, 0.4);
    }
    mise.terminer(&sources, reglages, chemin)
}

/// `tableau` with the first `n` columns left blank where they repeat the
/// row above (the deck's EPT › commune › quartier).
fn sans_repetitions(tableau: &Tableau, n: usize) -> Tableau {
    let mut lignes = tableau.lignes.clone();
    for (ligne, (actuelle, precedente)) in lignes
        .iter_mut()
        .skip(1)
        .zip(tableau.lignes.iter().skip(1).zip(&tableau.lignes))
    {
        for (j, case) in ligne.iter_mut().enumerate().take(n) {
            if actuelle[..=j] == precedente[..=j] {
                *case = super::tableaux::Cellule::Texte(String::new());
            }
        }
    }
    Tableau {
        titre: tableau.titre.clone(),
        entetes: tableau.entetes.clone(),
        lignes,
    }
}

/// A commune's page: its figures and the département's, nothing of the
/// other communes.
pub fn ecrire_commune(
    contenu: &ContenuCommune,
    reglages: &Reglages,
    chemin: &Path,
) -> Resultat<()> {
    let mut mise = Mise::ouvrir(reglages, &contenu.nom, true, contenu.version)?;
    mise.titre_section(&contenu.nom);
    // Column shares of the commune's tables: job seekers, QPV, dossiers.
    let quartiers: &[f32] = match contenu.tableaux.get(1).map(|t| t.entetes.len()) {
        Some(10) => &[
            0.22, 0.15, 0.07, 0.085, 0.085, 0.07, 0.075, 0.075, 0.08, 0.09,
        ],
        _ => &[0.21, 0.16, 0.09, 0.09, 0.09, 0.09, 0.09, 0.09, 0.09],
    };
    let proportions: [&[f32]; 3] = [
        &[0.22, 0.13, 0.13, 0.13, 0.13, 0.13, 0.13],
        quartiers,
        &[0.24, 0.2, 0.2, 0.13, 0.1, 0.13],
    ];
    for (i, t) in contenu.tableaux.iter().enumerate() {
        mise.intertitre(&t.titre);
        let p = proportions.get(i).copied().unwrap_or_default();
        if p.len() == t.entetes.len() {
            mise.tableau_proportions(t, p);
        } else {
            mise.tableau(t, 0.2);
        }
    }
    mise.y -= 4.0;
    for n in &contenu.notes {
        mise.paragraphe(n, 8.0, false, NOIR, 0.0);
    }
    mise.terminer(&contenu.sources, reglages, chemin)
}
