//! The live picture's share groups (KIP-932): each member with the records it holds acquired
//! right now, and each share-partition's start offset and what is in flight there.

use yew::prelude::*;

use crate::engine::Cluster;

pub fn share_groups(cluster: &Cluster) -> Html {
    let groups = &cluster.share_coordinator().groups;
    if groups.is_empty() {
        return html! {};
    }
    html! {
        <>
            <h2 class="section-title">{"Share groups"}<span class="count">{ groups.len() }</span></h2>
            { for groups.values().map(|g| {
                let state = g.state().name();
                let members = g.members.len();
                html! {
                    <div class="group share-group" data-share-group={g.group_id.clone()}>
                        <div class="group-head">
                            <span class="group-name">{ crate::session::visible::visible(&g.group_id).into_owned() }</span>
                            <span class={format!("badge state-{}", state.to_ascii_lowercase())}>{ state }</span>
                            <span class="meta">{ format!("{members} member{}", if members == 1 { "" } else { "s" }) }</span>
                        </div>
                        { for g.members.values().map(|m| {
                            let acquired: usize = g.partitions.values().map(|sp| sp.acquired_by(&m.member_id)).sum();
                            let parts: Vec<String> = m.assignment.iter().map(|tp| tp.to_string()).collect();
                            html! {
                                <div class="member" data-acquired={acquired.to_string()}>
                                    { format!("{} → {} · {acquired} acquired", m.member_id, if parts.is_empty() { "-".to_string() } else { parts.join(", ") }) }
                                </div>
                            }
                        }) }
                        if !g.partitions.is_empty() {
                            <div class="committed">
                                { for g.partitions.iter().map(|(tp, sp)| {
                                    let hw = cluster.offsets_of(tp).map_or(sp.start_offset, |(_, hw)| hw);
                                    let (available, acquired, acked, archived) = sp.counts(hw);
                                    let title = format!("share-partition start offset {}: {available} available, {acquired} acquired, {acked} acknowledged, {archived} archived", sp.start_offset);
                                    html! {
                                        <span class="offset-chip" {title}>{ format!("{tp} @{} lag {}", sp.start_offset, sp.lag(hw)) }</span>
                                    }
                                }) }
                            </div>
                        }
                    </div>
                }
            }) }
        </>
    }
}
