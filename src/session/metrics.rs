//! Lag and throughput over simulated time: the workbench samples every topic's log end and
//! every group's total lag once a second of page time (the views draw the last minute of
//! samples as small charts: `ui::metrics`).

use std::collections::VecDeque;

use crate::vec_map::VecMap;

use crate::engine::Cluster;

/// Samples kept (one per second of page time).
const KEEP: usize = 60;

#[derive(Debug, Clone, PartialEq)]
struct Sample {
    at_ms: i64,
    /// Log end offsets summed over each topic's partitions.
    topic_ends: VecMap<String, i64>,
    /// Total lag of each group with committed offsets.
    group_lags: VecMap<String, i64>,
}

#[derive(Debug, Default)]
pub struct Metrics {
    samples: VecDeque<Sample>,
}

impl Metrics {
    pub fn sample(&mut self, cluster: &Cluster) {
        let topic_ends =
            VecMap::from_iter(cluster.topics().filter(|t| !t.is_internal()).map(|t| {
                let end: i64 = t.partitions().iter().map(|p| p.log_end_offset()).sum();
                (t.name().to_string(), end)
            }));
        let group_lags = VecMap::from_iter(cluster.group_ids().into_iter().map(|g| {
            let lag = group_lag(cluster, &g);
            (g, lag)
        }));
        self.samples.push_back(Sample {
            at_ms: cluster.now_ms(),
            topic_ends,
            group_lags,
        });
        while self.samples.len() > KEEP {
            self.samples.pop_front();
        }
    }

    /// Records per simulated second into `topic` between consecutive samples.
    pub fn throughput(&self, topic: &str) -> Vec<f64> {
        self.samples
            .iter()
            .zip(self.samples.iter().skip(1))
            .map(|(a, b)| {
                let (Some(x), Some(y)) = (a.topic_ends.get(topic), b.topic_ends.get(topic)) else {
                    return 0.0;
                };
                let secs = (b.at_ms - a.at_ms) as f64 / 1000.0;
                if secs <= 0.0 {
                    0.0
                } else {
                    ((y - x).max(0) as f64) / secs
                }
            })
            .collect()
    }

    /// A group's total lag at each sample.
    pub fn lag(&self, group: &str) -> Vec<f64> {
        self.samples
            .iter()
            .map(|s| s.group_lags.get(group).copied().unwrap_or(0) as f64)
            .collect()
    }
}

/// The group's total lag over the partitions whose lag is known (their leader answers).
pub fn group_lag(cluster: &Cluster, group: &str) -> i64 {
    cluster
        .group_lag(group)
        .iter()
        .filter_map(|l| l.lag())
        .sum()
}
