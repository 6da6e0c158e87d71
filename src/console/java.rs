//! Java behaviours that leak into Kafka's output: `String.hashCode` and the iteration order of
//! a `java.util.HashMap` (bucket by spread hash, then insertion order within a bucket).

/// `String.hashCode()`: Σ 31^(n-1-i)·c[i] over UTF-16 code units, with int overflow.
pub use crate::engine::group::string_hash;

/// `HashMap.tableSizeFor`: the next power of two ≥ n (at least 1).
fn table_size_for(n: usize) -> usize {
    n.max(1).next_power_of_two()
}

/// The order in which a `HashMap` built by inserting `keys` (in this order) iterates them.
/// `initial_capacity` is the constructor argument (`None` for `new HashMap<>()`, i.e. 16).
pub fn hashmap_order<T: Clone>(keys: &[(T, i32)], initial_capacity: Option<usize>) -> Vec<T> {
    let mut capacity = initial_capacity.map_or(16, table_size_for);
    // The table doubles whenever the size exceeds 0.75 × capacity.
    while keys.len() * 4 > capacity * 3 {
        capacity *= 2;
    }
    let mut indexed: Vec<(usize, usize, &T)> = keys
        .iter()
        .enumerate()
        .map(|(i, (k, h))| {
            let h = *h as u32;
            let spread = h ^ (h >> 16);
            ((spread as usize) & (capacity - 1), i, k)
        })
        .collect();
    crate::sort::sort_by_key(&mut indexed, |(bucket, i, _)| (*bucket, *i));
    indexed.into_iter().map(|(_, _, k)| k.clone()).collect()
}

/// Iteration order of a `HashMap<String, _>` filled with `names` in order.
pub fn string_hashmap_order(names: &[&str], initial_capacity: Option<usize>) -> Vec<String> {
    let keyed: Vec<(String, i32)> = names
        .iter()
        .map(|n| (n.to_string(), string_hash(n)))
        .collect();
    hashmap_order(&keyed, initial_capacity)
}

/// `TopicPartition.hashCode()`.
pub fn topic_partition_hash(topic: &str, partition: i32) -> i32 {
    31i32
        .wrapping_mul(31i32.wrapping_add(partition))
        .wrapping_add(string_hash(topic))
}

/// `String.format("%.Nf", x)`: Java rounds the shortest decimal form of the double half up
/// (`0.125` → `0.13`, where Rust's `{:.2}` gives `0.12`), and prints `NaN` and `Infinity`.
pub fn format_fixed(x: f64, decimals: usize) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    // The shortest digits that read back as `x`, and where the decimal point goes.
    let sci = format!("{:e}", x.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    let point = exp.parse::<i64>().unwrap_or(0) + 1;
    // The digits kept at this precision, then half up on the first one dropped.
    let keep = point + decimals as i64;
    let mut kept: Vec<u8> = (0..keep.max(0))
        .map(|i| digits.get(i as usize).copied().unwrap_or(b'0'))
        .collect();
    let first_dropped = if keep < 0 {
        b'0'
    } else {
        digits.get(keep as usize).copied().unwrap_or(b'0')
    };
    if first_dropped >= b'5' {
        let mut i = kept.len();
        loop {
            if i == 0 {
                kept.insert(0, b'1');
                break;
            }
            i -= 1;
            if kept[i] == b'9' {
                kept[i] = b'0';
            } else {
                kept[i] += 1;
                break;
            }
        }
    }
    while kept.len() < decimals + 1 {
        kept.insert(0, b'0');
    }
    let split = kept.len() - decimals;
    let mut out = String::new();
    if x.is_sign_negative() {
        out.push('-');
    }
    out.push_str(std::str::from_utf8(&kept[..split]).unwrap_or("0"));
    if decimals > 0 {
        out.push('.');
        out.push_str(std::str::from_utf8(&kept[split..]).unwrap_or(""));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_point_like_java_formatter() {
        assert_eq!(format_fixed(0.125, 2), "0.13");
        assert_eq!(format_fixed(2.675, 2), "2.68");
        assert_eq!(format_fixed(1234.5, 1), "1234.5");
        assert_eq!(format_fixed(99.95, 1), "100.0");
        assert_eq!(format_fixed(0.0004, 2), "0.00");
        assert_eq!(format_fixed(0.005, 2), "0.01");
        assert_eq!(format_fixed(0.0, 4), "0.0000");
        assert_eq!(format_fixed(1_000_000.0, 6), "1000000.000000");
        assert_eq!(format_fixed(1.0 / 3.0, 6), "0.333333");
        assert_eq!(format_fixed(95.367431640625, 2), "95.37");
        assert_eq!(format_fixed(7.0, 0), "7");
        assert_eq!(format_fixed(f64::NAN, 2), "NaN");
        assert_eq!(format_fixed(f64::INFINITY, 4), "Infinity");
        assert_eq!(format_fixed(-1.5, 1), "-1.5");
    }

    #[test]
    fn string_hash_matches_java() {
        assert_eq!(string_hash(""), 0);
        assert_eq!(string_hash("a"), 97);
        assert_eq!(string_hash("hello"), 99_162_322);
        assert_eq!(string_hash("segment.bytes"), string_hash("segment.bytes"));
    }

    #[test]
    fn topic_describe_order_from_the_reference() {
        // kafka-topics --describe of orders, payments, users prints orders, users, payments.
        assert_eq!(
            string_hashmap_order(&["orders", "payments", "users"], Some(3)),
            vec!["orders", "users", "payments"]
        );
    }

    #[test]
    fn topic_partition_order_from_the_reference() {
        let order = |topic: &str, n: i32| -> Vec<i32> {
            let keys: Vec<(i32, i32)> = (0..n)
                .map(|p| (p, topic_partition_hash(topic, p)))
                .collect();
            hashmap_order(&keys, None)
        };
        assert_eq!(order("orders", 3), vec![0, 1, 2]);
        assert_eq!(order("t", 3), vec![2, 1, 0]);
        assert_eq!(order("test", 3), vec![1, 0, 2]);
        assert_eq!(order("quickstart-events", 3), vec![2, 1, 0]);
        assert_eq!(order("my-topic", 6), vec![4, 5, 0, 1, 2, 3]);
    }

    #[test]
    fn config_buckets_from_the_reference() {
        let bucket = |name: &str| {
            let h = string_hash(name) as u32;
            ((h ^ (h >> 16)) & 63) as usize
        };
        assert_eq!(bucket("compression.type"), 0);
        assert_eq!(bucket("min.insync.replicas"), 10);
        assert_eq!(bucket("cleanup.policy"), 18);
        assert_eq!(bucket("segment.bytes"), 27);
        assert_eq!(bucket("retention.ms"), 27);
        assert_eq!(bucket("segment.ms"), 59);
    }
}
