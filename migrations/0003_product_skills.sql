-- The plan leaves Product Sense without suggested skills. These four product skills give it a
-- meaningful set of its own.

INSERT INTO Skills (skill_name, description) VALUES
('Product Strategy', 'Ability to set a product direction that connects user needs, business goals and market context.'),
('User Empathy', 'Ability to understand users, their problems and their context, and to design for them.'),
('Metrics & Analytics', 'Ability to define success metrics, read data critically and make decisions with it.'),
('Prioritization', 'Ability to choose what to build next and what not to build, and to explain the trade-offs.');

INSERT INTO Interview_Type_Suggested_Skills (interview_type_id, skill_id)
SELECT t.interview_type_id, s.skill_id
FROM Interview_Types t
JOIN Skills s ON s.skill_name IN ('Product Strategy', 'User Empathy', 'Metrics & Analytics', 'Prioritization')
WHERE t.type_name = 'Product Sense';
