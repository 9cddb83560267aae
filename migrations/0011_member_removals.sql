-- Every node polls for recent removals from a conference, to end the removed person's live
-- subscriptions to its rooms; this keeps that poll an index range scan however long the
-- audit log grows.
create index audit_log_member_remove_idx on audit_log (created_at) where action = 'member.remove';
