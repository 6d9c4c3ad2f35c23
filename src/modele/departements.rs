//! The départements of the Code officiel géographique (INSEE, COG 2024):
//! their codes, names and the article their name takes, embedded so that a
//! national run names every département without reglages.

/// One département of the COG.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Departement {
    pub code: &'static str,
    pub nom: &'static str,
    /// INSEE's "type de nom en clair": which article the name takes
    /// (0 « de Paris », 1 « d'Eure-et-Loir », 2 « du Nord »,
    /// 3 « de la Somme », 4 « des Yvelines », 5 « de l'Ain »).
    tncc: u8,
}

const fn d(code: &'static str, nom: &'static str, tncc: u8) -> Departement {
    Departement { code, nom, tncc }
}

/// COG 2024, in code order: 96 in metropolitan France (Corsica `2A`, `2B`)
/// and 5 overseas.
pub const COG: [Departement; 101] = [
    d("01", "Ain", 5),
    d("02", "Aisne", 5),
    d("03", "Allier", 5),
    d("04", "Alpes-de-Haute-Provence", 4),
    d("05", "Hautes-Alpes", 4),
    d("06", "Alpes-Maritimes", 4),
    d("07", "Ardèche", 5),
    d("08", "Ardennes", 4),
    d("09", "Ariège", 5),
    d("10", "Aube", 5),
    d("11", "Aude", 5),
    d("12", "Aveyron", 5),
    d("13", "Bouches-du-Rhône", 4),
    d("14", "Calvados", 2),
    d("15", "Cantal", 2),
    d("16", "Charente", 3),
    d("17", "Charente-Maritime", 3),
    d("18", "Cher", 2),
    d("19", "Corrèze", 3),
    d("21", "Côte-d'Or", 3),
    d("22", "Côtes-d'Armor", 4),
    d("23", "Creuse", 3),
    d("24", "Dordogne", 3),
    d("25", "Doubs", 2),
    d("26", "Drôme", 3),
    d("27", "Eure", 5),
    d("28", "Eure-et-Loir", 1),
    d("29", "Finistère", 2),
    d("2A", "Corse-du-Sud", 3),
    d("2B", "Haute-Corse", 3),
    d("30", "Gard", 2),
    d("31", "Haute-Garonne", 3),
    d("32", "Gers", 2),
    d("33", "Gironde", 3),
    d("34", "Hérault", 5),
    d("35", "Ille-et-Vilaine", 1),
    d("36", "Indre", 5),
    d("37", "Indre-et-Loire", 1),
    d("38", "Isère", 5),
    d("39", "Jura", 2),
    d("40", "Landes", 4),
    d("41", "Loir-et-Cher", 2),
    d("42", "Loire", 3),
    d("43", "Haute-Loire", 3),
    d("44", "Loire-Atlantique", 3),
    d("45", "Loiret", 2),
    d("46", "Lot", 2),
    d("47", "Lot-et-Garonne", 2),
    d("48", "Lozère", 3),
    d("49", "Maine-et-Loire", 2),
    d("50", "Manche", 3),
    d("51", "Marne", 3),
    d("52", "Haute-Marne", 3),
    d("53", "Mayenne", 3),
    d("54", "Meurthe-et-Moselle", 3),
    d("55", "Meuse", 3),
    d("56", "Morbihan", 2),
    d("57", "Moselle", 3),
    d("58", "Nièvre", 3),
    d("59", "Nord", 2),
    d("60", "Oise", 5),
    d("61", "Orne", 5),
    d("62", "Pas-de-Calais", 2),
    d("63", "Puy-de-Dôme", 2),
    d("64", "Pyrénées-Atlantiques", 4),
    d("65", "Hautes-Pyrénées", 4),
    d("66", "Pyrénées-Orientales", 4),
    d("67", "Bas-Rhin", 2),
    d("68", "Haut-Rhin", 2),
    d("69", "Rhône", 2),
    d("70", "Haute-Saône", 3),
    d("71", "Saône-et-Loire", 3),
    d("72", "Sarthe", 3),
    d("73", "Savoie", 3),
    d("74", "Haute-Savoie", 3),
    d("75", "Paris", 0),
    d("76", "Seine-Maritime", 3),
    d("77", "Seine-et-Marne", 3),
    d("78", "Yvelines", 4),
    d("79", "Deux-Sèvres", 4),
    d("80", "Somme", 3),
    d("81", "Tarn", 2),
    d("82", "Tarn-et-Garonne", 2),
    d("83", "Var", 2),
    d("84", "Vaucluse", 2),
    d("85", "Vendée", 3),
    d("86", "Vienne", 3),
    d("87", "Haute-Vienne", 3),
    d("88", "Vosges", 4),
    d("89", "Yonne", 5),
    d("90", "Territoire de Belfort", 2),
    d("91", "Essonne", 5),
    d("92", "Hauts-de-Seine", 4),
    d("93", "Seine-Saint-Denis", 3),
    d("94", "Val-de-Marne", 2),
    d("95", "Val-d'Oise", 2),
    d("971", "Guadeloupe", 3),
    d("972", "Martinique", 3),
    d("973", "Guyane", 3),
    d("974", "La Réunion", 0),
    d("976", "Mayotte", 0),
];

/// The département of that code, if the COG has it.
pub fn chercher(code: &str) -> Option<&'static Departement> {
    COG.iter().find(|d| d.code == code)
}

/// The département a commune's INSEE code belongs to: three characters
/// overseas (`971…`), two elsewhere (`2A…`).
pub fn de_la_commune(code_commune: &str) -> Option<&'static Departement> {
    let n = if code_commune.starts_with("97") { 3 } else { 2 };
    code_commune.get(..n).and_then(chercher)
}

/// [`de_la_commune`] as a polars expression over a column of commune codes
/// (the code's first two characters, three overseas).
pub fn expr_departement(code_commune: polars::prelude::Expr) -> polars::prelude::Expr {
    use polars::prelude::*;
    let c = code_commune;
    when(c.clone().str().starts_with(lit("97")))
        .then(c.clone().str().slice(lit(0), lit(3)))
        .otherwise(c.str().slice(lit(0), lit(2)))
}

/// A table marked by département ([`DEPARTEMENT_LIGNE`]), split: each
/// département's rows in the table's order, without the mark.
///
/// [`DEPARTEMENT_LIGNE`]: super::colonnes::DEPARTEMENT_LIGNE
pub struct Parts {
    parts: std::collections::HashMap<String, polars::prelude::DataFrame>,
    vide: polars::prelude::DataFrame,
}

impl Parts {
    pub fn new(table: &polars::prelude::DataFrame) -> polars::prelude::PolarsResult<Parts> {
        use super::colonnes::DEPARTEMENT_LIGNE as D;
        let mut parts = std::collections::HashMap::new();
        for part in table.partition_by_stable([D], true)? {
            let code = part
                .column(D)?
                .str()?
                .get(0)
                .map(str::to_string)
                .unwrap_or_default();
            parts.insert(code, part.drop(D)?);
        }
        Ok(Parts {
            parts,
            vide: table.clear().drop(D)?,
        })
    }

    /// The rows of département `code` (none: an empty table of the same
    /// columns).
    pub fn de(&self, code: &str) -> polars::prelude::DataFrame {
        self.parts
            .get(code)
            .cloned()
            .unwrap_or_else(|| self.vide.clone())
    }
}

/// `table` with [`DEPARTEMENT_LIGNE`] = `code` as its first column (a
/// département's part, marked again).
///
/// [`DEPARTEMENT_LIGNE`]: super::colonnes::DEPARTEMENT_LIGNE
pub fn remarquer(
    mut table: polars::prelude::DataFrame,
    code: &str,
) -> polars::prelude::PolarsResult<polars::prelude::DataFrame> {
    use polars::prelude::*;
    let n = table.height();
    table.insert_column(
        0,
        Column::new(super::colonnes::DEPARTEMENT_LIGNE.into(), vec![code; n]),
    )?;
    Ok(table)
}

impl Departement {
    /// "des Hauts-de-Seine", "du Nord", "de l'Ain", "de La Réunion".
    pub fn complement(&self) -> String {
        let nom = self.nom;
        match self.tncc {
            1 => format!("d'{nom}"),
            5 => format!("de l'{nom}"),
            2 => format!("du {nom}"),
            3 => format!("de la {nom}"),
            4 => format!("des {nom}"),
            _ => format!("de {nom}"),
        }
    }

    /// "dans les Hauts-de-Seine", "dans le Nord", "dans l'Ain", "en
    /// Eure-et-Loir", "à Paris".
    pub fn dans(&self) -> String {
        let nom = self.nom;
        match self.tncc {
            1 => format!("en {nom}"),
            5 => format!("dans l'{nom}"),
            2 => format!("dans le {nom}"),
            3 => format!("dans la {nom}"),
            4 => format!("dans les {nom}"),
            _ => format!("à {nom}"),
        }
    }

    /// First line of the title block: "PRÉFET DES HAUTS-DE-SEINE".
    pub fn entete(&self) -> String {
        format!("Préfet {}", self.complement()).to_uppercase()
    }

    /// The service signing the documents by default.
    pub fn service(&self) -> String {
        format!("Préfecture {}", self.complement())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cent_un_departements_dans_l_ordre_des_codes() {
        assert_eq!(COG.len(), 101);
        assert!(COG.windows(2).all(|w| w[0].code < w[1].code));
        assert_eq!(COG.iter().filter(|d| d.code.len() == 3).count(), 5);
    }

    #[test]
    fn articles_des_noms() {
        let e = |c| chercher(c).unwrap().entete();
        assert_eq!(e("92"), "PRÉFET DES HAUTS-DE-SEINE");
        assert_eq!(e("59"), "PRÉFET DU NORD");
        assert_eq!(e("93"), "PRÉFET DE LA SEINE-SAINT-DENIS");
        assert_eq!(e("01"), "PRÉFET DE L'AIN");
        assert_eq!(e("28"), "PRÉFET D'EURE-ET-LOIR");
        assert_eq!(e("35"), "PRÉFET D'ILLE-ET-VILAINE");
        assert_eq!(e("36"), "PRÉFET DE L'INDRE");
        assert_eq!(e("37"), "PRÉFET D'INDRE-ET-LOIRE");
        assert_eq!(e("974"), "PRÉFET DE LA RÉUNION");
        assert_eq!(e("75"), "PRÉFET DE PARIS");
        assert_eq!(
            chercher("2A").unwrap().service(),
            "Préfecture de la Corse-du-Sud"
        );
    }

    #[test]
    fn departement_d_une_commune() {
        assert_eq!(de_la_commune("92050").unwrap().code, "92");
        assert_eq!(de_la_commune("97411").unwrap().code, "974");
        assert_eq!(de_la_commune("2B033").unwrap().code, "2B");
        assert!(de_la_commune("97501").is_none());
    }
}
