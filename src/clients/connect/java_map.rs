//! The order a `java.util.HashMap` iterates its keys in, which is the order Connect's REST API
//! writes a connector's config and the list of connectors (Jackson follows the map).
//!
//! Invariant: the table grows as `HashMap.put` grows it (16 buckets, doubling past 3/4 full);
//! keys sharing a bucket keep their insertion order (a bucket turns into a tree only past 8
//! keys, which a connector config never reaches in one bucket).

// Kafka: clients/src/main/java/org/apache/kafka/common/utils/Utils.java (propsToStringMap puts
// each property into a new HashMap); OpenJDK java/util/HashMap.java (hash, resize).

fn string_hash(s: &str) -> i32 {
    s.encode_utf16()
        .fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(i32::from(c)))
}

/// `HashMap.hash`: the high half folded into the low one.
fn spread(h: i32) -> u32 {
    let h = h as u32;
    h ^ (h >> 16)
}

/// `keys` (in insertion order) in the order a `HashMap` holding them iterates them.
pub fn order<'a>(keys: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let keys: Vec<&str> = keys.into_iter().collect();
    let mut capacity = 16usize;
    while keys.len() * 4 > capacity * 3 {
        capacity *= 2;
    }
    let mut ordered: Vec<(usize, usize, &str)> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| ((spread(string_hash(k)) as usize) & (capacity - 1), i, *k))
        .collect();
    ordered.sort_unstable();
    ordered.into_iter().map(|(_, _, k)| k).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_hash_as_java_does() {
        // "hello".hashCode() == 99162322, "name".hashCode() == 3373707.
        assert_eq!(string_hash("hello"), 99_162_322);
        assert_eq!(string_hash("name"), 3_373_707);
        assert_eq!(string_hash(""), 0);
        // A HashMap of "a".."c" iterates in bucket order: 97, 98, 99.
        assert_eq!(order(["c", "a", "b"]), ["a", "b", "c"]);
    }
}
