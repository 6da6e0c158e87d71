//! Kafka's murmur2, bit for bit as `org.apache.kafka.common.utils.Utils.murmur2`, and the
//! default partitioner's key mapping (`BuiltInPartitioner.partitionForKey`).

/// 32-bit MurmurHash2 with Kafka's seed, as a signed Java int.
pub fn murmur2(data: &[u8]) -> i32 {
    const SEED: u32 = 0x9747_b28c;
    const M: u32 = 0x5bd1_e995;
    const R: u32 = 24;

    let length = data.len();
    let mut h: u32 = SEED ^ (length as u32);
    let blocks = length / 4;
    for i in 0..blocks {
        let b = &data[i * 4..i * 4 + 4];
        let mut k = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M);
        h ^= k;
    }
    let tail = &data[blocks * 4..];
    // Java's switch falls through from 3 to 2 to 1.
    if tail.len() >= 3 {
        h ^= (tail[2] as u32) << 16;
    }
    if tail.len() >= 2 {
        h ^= (tail[1] as u32) << 8;
    }
    if !tail.is_empty() {
        h ^= tail[0] as u32;
        h = h.wrapping_mul(M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h as i32
}

/// `Utils.toPositive`: clears the sign bit (not `abs`, which would differ for negative values).
pub fn to_positive(x: i32) -> i32 {
    x & 0x7fff_ffff
}

/// The partition the Java producer picks for a non-null key.
pub fn partition_for_key(key: &[u8], num_partitions: i32) -> i32 {
    to_positive(murmur2(key)) % num_partitions
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kafka's own vectors from `UtilsTest.testMurmur2`.
    #[test]
    fn kafka_utils_test_vectors() {
        let cases: &[(&[u8], i32)] = &[
            (b"21", -973_932_308),
            (b"foobar", -790_332_482),
            (b"a-little-bit-long-string", -985_981_536),
            (b"a-little-bit-longer-string", -1_486_304_829),
            (
                b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8",
                -58_897_971,
            ),
            (b"abc", 479_470_107),
        ];
        for (input, expected) in cases {
            assert_eq!(
                murmur2(input),
                *expected,
                "murmur2({:?})",
                String::from_utf8_lossy(input)
            );
        }
    }

    #[test]
    fn partitions_match_the_java_client() {
        let cases: &[(&str, i32, i32, i32)] = &[
            // key, partition of 3, of 4, of 6
            ("21", 0, 0, 0),
            ("foobar", 0, 2, 0),
            ("a-little-bit-long-string", 2, 0, 2),
            ("a-little-bit-longer-string", 2, 3, 5),
            ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", 2, 1, 5),
            ("abc", 0, 3, 3),
        ];
        for (key, p3, p4, p6) in cases {
            assert_eq!(partition_for_key(key.as_bytes(), 3), *p3, "{key} of 3");
            assert_eq!(partition_for_key(key.as_bytes(), 4), *p4, "{key} of 4");
            assert_eq!(partition_for_key(key.as_bytes(), 6), *p6, "{key} of 6");
        }
    }

    #[test]
    fn more_keys_from_the_reference() {
        for (key, hash) in [
            ("k1", 1_684_045_097),
            ("k2", 380_483_553),
            ("k3", 1_676_809_936),
            ("key1", 28_543_940),
            ("key2", 1_674_751_211),
            ("key3", -1_745_673_403),
            ("a", -1_563_381_124),
            ("alice", 1_951_417_749),
            ("bob", -2_048_144_690),
            ("hello", 2_132_663_229),
            ("world", 24_190_312),
        ] {
            assert_eq!(murmur2(key.as_bytes()), hash, "{key}");
        }
        assert_eq!(partition_for_key(b"user-42", 3), 1);
        assert_eq!(partition_for_key(b"carol", 3), 2);
        assert_eq!(to_positive(i32::MIN), 0);
    }
}
