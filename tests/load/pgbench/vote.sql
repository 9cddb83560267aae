-- One upvote's transaction as `realtime/commands.rs` and `panels/questions.rs` write it: the
-- command's record, the question's status, the vote, the new count, the command's result.
\set user random(1, 2000000000)
\set command random(1, 2000000000)
\set question random(1, 10)
BEGIN;
INSERT INTO commands (user_id, id, room_id, name, data_hash)
  VALUES (:user, :command, 'session:load', 'qa.upvote', sha256(convert_to('{"id": "question"}', 'UTF8')))
  ON CONFLICT (user_id, id) DO NOTHING;
SELECT status FROM questions WHERE id = :question;
INSERT INTO question_votes (question_id, user_id) VALUES (:question, :user) ON CONFLICT DO NOTHING;
SELECT count(*) FROM question_votes WHERE question_id = :question;
UPDATE commands SET result = '{"voted": true}' WHERE user_id = :user AND id = :command;
END;
